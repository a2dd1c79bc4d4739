# Tests of the vulndb module, relative to tests/.
set(BULKHEAD_VULNDB_TEST_SOURCES
  vulndb/cvss_test.cc
  vulndb/osv_test.cc
  vulndb/feeds_test.cc
  vulndb/database_test.cc
  vulndb/ecosystem_test.cc
  vulndb/debian_list_test.cc
  vulndb/ubuntu_cve_test.cc
  vulndb/yaml_json_test.cc)
