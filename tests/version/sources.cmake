# Tests of the version module, relative to tests/ (included by tests/CMakeLists.txt).
# testing/alloc_counter.cc replaces the global operator new of the whole version_test binary.
set(BULKHEAD_VERSION_TEST_SOURCES
    testing/alloc_counter.cc
    version/test_support.cc
    version/version_test.cc
    version/conformance_test.cc
    version/dpkg_version_test.cc
    version/apk_version_test.cc
    version/rpm_version_test.cc
    version/semver_test.cc
    version/pep440_test.cc
    version/maven_version_test.cc
    version/gem_version_test.cc)
