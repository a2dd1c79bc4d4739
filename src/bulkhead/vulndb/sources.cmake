# Sources of the vulndb module (namespace bulkhead::vulndb), relative to src/.
set(BULKHEAD_VULNDB_SOURCES
  bulkhead/vulndb/cvss.cc
  bulkhead/vulndb/record.cc
  bulkhead/vulndb/ecosystem.cc
  bulkhead/vulndb/osv.cc
  bulkhead/vulndb/feeds.cc
  bulkhead/vulndb/debian_list.cc
  bulkhead/vulndb/ubuntu_cve.cc
  bulkhead/vulndb/database.cc
  bulkhead/vulndb/importer.cc
  bulkhead/vulndb/internal/encoding.cc
  bulkhead/vulndb/internal/yaml_block.cc
  bulkhead/vulndb/internal/yaml_json.cc)
