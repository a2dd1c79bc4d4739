# Tests of the pkg module, relative to tests/.
set(BULKHEAD_PKG_TEST_SOURCES
  pkg/dpkg_analyzer_test.cc
  pkg/apk_analyzer_test.cc
  pkg/rpm_analyzer_test.cc
  pkg/os_release_test.cc
  pkg/purl_test.cc)
