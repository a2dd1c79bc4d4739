# Tests of the vulndb module, relative to tests/.
set(BULKHEAD_VULNDB_TEST_SOURCES
  vulndb/cvss_test.cc)
