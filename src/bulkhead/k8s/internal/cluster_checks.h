// Cluster-level checks: RBAC bindings (4.3.1) and the control plane's flags from static pod
// manifests and KubeletConfiguration files (4.3.2, 4.3.5), each with its CIS Kubernetes
// Benchmark id.
#pragma once

#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/k8s/manifest.h"

namespace bulkhead::k8s::internal {

/// Appends RBAC findings for every RoleBinding and ClusterRoleBinding in `objects`.
/// Bindings to roles missing from the input (other than built-in and system: roles) are
/// diagnostics. Returns the number of bindings examined.
size_t CheckRbac(const std::vector<Object>& objects, std::vector<Finding>* out,
                 std::vector<Diagnostic>* diagnostics);

/// Appends control-plane findings; returns the number of components examined (static pods
/// of kube-apiserver, kube-controller-manager, kube-scheduler, etcd; KubeletConfigurations).
size_t CheckControlPlane(const std::vector<Object>& objects, std::vector<Finding>* out);

}  // namespace bulkhead::k8s::internal
