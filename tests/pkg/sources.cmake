# Tests of the pkg module, relative to tests/.
set(BULKHEAD_PKG_TEST_SOURCES
  pkg/dpkg_analyzer_test.cc
  pkg/apk_analyzer_test.cc
  pkg/rpm_analyzer_test.cc
  pkg/os_release_test.cc
  pkg/purl_test.cc
  testing/alloc_counter.cc
  pkg/lang_lockfile_test.cc
  pkg/lang_binary_test.cc
  pkg/lang_conformance_test.cc
  pkg/lang_fixture_test.cc
  pkg/analyzer_golden_test.cc
  pkg/binary_builders.cc)
