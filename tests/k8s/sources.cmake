# Tests of the k8s module, relative to tests/.
set(BULKHEAD_K8S_TEST_SOURCES
  k8s/manifest_test.cc
  k8s/pod_checks_test.cc
  k8s/cluster_checks_test.cc
  k8s/network_test.cc
  k8s/conformance_test.cc
  k8s/doc_test.cc)
