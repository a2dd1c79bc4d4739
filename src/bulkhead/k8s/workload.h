// The pod-template model: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob and ReplicationController normalised into one Workload with its pod spec, pod
// labels and every container (init and ephemeral included), each with the field path that
// leads to it. Workloads borrow from the Objects they were built from: those must outlive
// them. Plain values; thread-safe to read.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bulkhead/k8s/manifest.h"

namespace bulkhead::k8s {

/// Labels as sorted (key, value) pairs.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// The labels of a metadata map (unsorted input, sorted output).
Labels LabelsOf(const Node& metadata);
/// The value of `key` in `labels`, or nullptr.
const std::string* FindLabel(const Labels& labels, std::string_view key);

struct Container {
  const Node* node = nullptr;
  std::string name;
  std::string field;  ///< e.g. "spec.template.spec.initContainers[1]".
};

struct Workload {
  const Object* object = nullptr;
  std::string id;  ///< Object::Id().
  const Node* pod_spec = nullptr;
  std::string
      spec_path;  ///< "spec", "spec.template.spec" or "spec.jobTemplate.spec.template.spec".
  const Node* pod_meta = nullptr;
  std::string meta_path;
  Labels labels;  ///< Pod template labels.
  std::vector<Container> containers;
};

/// Whether `kind` carries a pod template (or is a Pod).
bool IsWorkloadKind(std::string_view kind);

/// The workloads among `objects`, in input order. Objects without a pod spec map are
/// skipped (they cannot run anything).
std::vector<Workload> ExtractWorkloads(const std::vector<Object>& objects);

}  // namespace bulkhead::k8s
