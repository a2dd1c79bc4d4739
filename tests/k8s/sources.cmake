# Tests of the k8s module, relative to tests/.
set(BULKHEAD_K8S_TEST_SOURCES
  k8s/placeholder_test.cc)
