# Sources of the k8s module (namespace bulkhead::k8s), relative to src/.
set(BULKHEAD_K8S_SOURCES
  bulkhead/k8s/audit.cc
  bulkhead/k8s/check_catalog.cc
  bulkhead/k8s/manifest.cc
  bulkhead/k8s/workload.cc
  bulkhead/k8s/internal/control_plane_checks.cc
  bulkhead/k8s/internal/findings.cc
  bulkhead/k8s/internal/network.cc
  bulkhead/k8s/internal/pod_checks.cc
  bulkhead/k8s/internal/rbac_checks.cc
  bulkhead/k8s/internal/scheduling.cc
  bulkhead/k8s/internal/selector.cc)
