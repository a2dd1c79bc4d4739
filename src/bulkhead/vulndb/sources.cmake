# Sources of the vulndb module (namespace bulkhead::vulndb), relative to src/.
set(BULKHEAD_VULNDB_SOURCES
  bulkhead/vulndb/cvss.cc)
