# Sources of the version module, relative to src/ (included by src/CMakeLists.txt).
set(BULKHEAD_VERSION_SOURCES
    bulkhead/version/version.cc
    bulkhead/version/dpkg_version.cc
    bulkhead/version/apk_version.cc
    bulkhead/version/rpm_version.cc
    bulkhead/version/semver.cc
    bulkhead/version/pep440.cc
    bulkhead/version/maven_version.cc
    bulkhead/version/gem_version.cc)
