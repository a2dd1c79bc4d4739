#include "bulkhead/k8s/workload.h"

#include <algorithm>

namespace bulkhead::k8s {

Labels LabelsOf(const Node& metadata) {
  Labels out;
  const Node& labels = metadata["labels"];
  for (size_t i = 0; i < labels.keys().size(); ++i) {
    out.emplace_back(labels.keys()[i], std::string(labels.items()[i].Str()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::string* FindLabel(const Labels& labels, std::string_view key) {
  auto it = std::lower_bound(labels.begin(), labels.end(), key,
                             [](const auto& kv, std::string_view k) { return kv.first < k; });
  return it != labels.end() && it->first == key ? &it->second : nullptr;
}

bool IsWorkloadKind(std::string_view kind) {
  return kind == "Pod" || kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" ||
         kind == "ReplicaSet" || kind == "Job" || kind == "CronJob" ||
         kind == "ReplicationController";
}

std::vector<Workload> ExtractWorkloads(const std::vector<Object>& objects) {
  std::vector<Workload> out;
  for (const Object& o : objects) {
    if (!IsWorkloadKind(o.kind)) continue;
    Workload w;
    w.object = &o;
    if (o.kind == "Pod") {
      w.pod_meta = &o.root["metadata"];
      w.meta_path = "metadata";
      w.pod_spec = &o.root["spec"];
      w.spec_path = "spec";
    } else if (o.kind == "CronJob") {
      const Node& tmpl = o.root["spec"]["jobTemplate"]["spec"]["template"];
      w.pod_meta = &tmpl["metadata"];
      w.meta_path = "spec.jobTemplate.spec.template.metadata";
      w.pod_spec = &tmpl["spec"];
      w.spec_path = "spec.jobTemplate.spec.template.spec";
    } else {
      const Node& tmpl = o.root["spec"]["template"];
      w.pod_meta = &tmpl["metadata"];
      w.meta_path = "spec.template.metadata";
      w.pod_spec = &tmpl["spec"];
      w.spec_path = "spec.template.spec";
    }
    if (!w.pod_spec->IsMap()) continue;
    w.id = o.Id();
    w.labels = LabelsOf(*w.pod_meta);
    for (std::string_view list : {"initContainers", "containers", "ephemeralContainers"}) {
      const Node& seq = (*w.pod_spec)[list];
      for (size_t i = 0; i < seq.size(); ++i) {
        const Node& c = seq[i];
        if (!c.IsMap()) continue;
        w.containers.push_back(
            {&c, std::string(c["name"].Str()),
             w.spec_path + "." + std::string(list) + "[" + std::to_string(i) + "]"});
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace bulkhead::k8s
