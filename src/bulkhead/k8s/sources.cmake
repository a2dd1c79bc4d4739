# Sources of the k8s module (namespace bulkhead::k8s), relative to src/.
set(BULKHEAD_K8S_SOURCES
  bulkhead/k8s/placeholder.cc)
