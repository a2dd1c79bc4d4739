# Tests of the vuln module, relative to tests/.
set(BULKHEAD_VULN_TEST_SOURCES
  vuln/matcher_test.cc
  vuln/conformance_test.cc)
