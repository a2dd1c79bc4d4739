# Sources of the vuln module (namespace bulkhead::vuln), relative to src/.
set(BULKHEAD_VULN_SOURCES
  bulkhead/vuln/matcher.cc)
