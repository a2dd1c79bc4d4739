// Workload checks: the Pod Security Standards (baseline and restricted, every control
// under its own id) and further hardening (root filesystem, limits, service-account
// tokens, image pinning and registries, runtime sockets, secrets in env and ConfigMaps).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/k8s/workload.h"
#include "bulkhead/secret/engine.h"

namespace bulkhead::k8s::internal {

struct PodCheckContext {
  std::vector<std::string> trusted_registries;  ///< Empty: the registry check is off.
  secret::Scratch* scratch = nullptr;           ///< Null: no secret scan.
  /// automountServiceAccountToken of ServiceAccount objects, by "namespace/name".
  std::map<std::string, bool> sa_automount;
};

/// Appends the findings of every workload check on `w`. Fails only when the secret
/// engine fails.
Status CheckWorkload(const Workload& w, const PodCheckContext& ctx, std::vector<Finding>* out);

/// Secrets in a ConfigMap's data.
Status CheckConfigMap(const Object& o, const PodCheckContext& ctx, std::vector<Finding>* out);

/// The repository of an image reference with its registry made explicit
/// ("nginx:1.25" -> "docker.io/library/nginx"), its tag ("" if none) and digest.
struct ImageRef {
  std::string repository;
  std::string tag;
  std::string digest;
};
ImageRef ParseImage(std::string_view image);

}  // namespace bulkhead::k8s::internal
