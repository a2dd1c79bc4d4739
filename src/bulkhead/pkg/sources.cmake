# Sources of the pkg module (namespace bulkhead::pkg), relative to src/.
set(BULKHEAD_PKG_SOURCES
  bulkhead/pkg/analyzer.cc
  bulkhead/pkg/purl.cc
  bulkhead/pkg/os_release.cc
  bulkhead/pkg/dpkg_analyzer.cc
  bulkhead/pkg/apk_analyzer.cc
  bulkhead/pkg/rpm_analyzer.cc
  bulkhead/pkg/builtin_analyzers.cc)
