#include "bulkhead/k8s/audit.h"

#include <algorithm>
#include <set>

#include "bulkhead/core/controls.h"
#include "bulkhead/k8s/internal/cluster_checks.h"
#include "bulkhead/k8s/internal/cluster_view.h"
#include "bulkhead/k8s/internal/pod_checks.h"
#include "bulkhead/k8s/workload.h"

namespace bulkhead::k8s {
namespace {

constexpr std::string_view kScope[] = {"4.1.4", "4.1.5", "4.3.1", "4.3.2", "4.3.3",
                                       "4.3.4", "4.3.5", "4.4.2", "4.4.3"};

// Levels of every workload: the pod template's label, else its namespace's.
void AssignLevels(const AuditOptions& options, internal::ClusterView* view,
                  std::vector<Diagnostic>* diagnostics) {
  std::set<std::string> unknown;
  for (const Workload* w : view->workloads) {
    const std::string* value = FindLabel(w->labels, options.sensitivity_label);
    if (!value) {
      auto it = view->ns_labels.find(w->object->ns);
      if (it != view->ns_labels.end()) value = FindLabel(it->second, options.sensitivity_label);
    }
    int level = 0;
    if (value) {
      auto it = std::find(view->levels.begin(), view->levels.end(), *value);
      if (it == view->levels.end()) {
        unknown.insert(*value);
      } else {
        level = static_cast<int>(it - view->levels.begin());
      }
    }
    view->level.push_back(level);
  }
  for (const std::string& u : unknown) {
    diagnostics->push_back({"", "", "k8s-sensitivity",
                            "sensitivity value '" + u + "' (label " + options.sensitivity_label +
                                ") is not one of --sensitivity-levels: treated as " +
                                view->levels.front()});
  }
}

}  // namespace

Result<std::vector<std::string>> ParseLevels(std::string_view list) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = list.find(',');
    std::string item(list.substr(0, comma));
    if (item.empty()) return Status::InvalidArgument("--sensitivity-levels: empty level name");
    if (std::find(out.begin(), out.end(), item) != out.end()) {
      return Status::InvalidArgument("--sensitivity-levels: level '" + item + "' repeated");
    }
    out.push_back(std::move(item));
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return out;
}

Result<AuditResult> Audit(const Manifests& manifests, const AuditOptions& options,
                          const std::string& target_name) {
  if (options.sensitivity_levels.empty()) {
    return Status::InvalidArgument("no sensitivity levels given");
  }
  AuditResult result;
  Report& r = result.report;
  r.target.name = target_name;
  r.target.kind = "manifests";
  r.diagnostics = manifests.diagnostics;
  const std::vector<Object>& objects = manifests.objects;

  internal::PodCheckContext pc;
  pc.trusted_registries = options.trusted_registries;
  std::unique_ptr<secret::Scratch> scratch;
  if (options.secrets) {
    BULKHEAD_ASSIGN_OR_RETURN(scratch, options.secrets->NewScratch());
    pc.scratch = scratch.get();
  }
  internal::ClusterView view;
  view.levels = options.sensitivity_levels;
  view.max_pair_findings = options.max_pair_findings;
  view.max_pairwise_workloads = options.max_pairwise_workloads;
  size_t config_maps = 0;
  for (const Object& o : objects) {
    if (o.kind == "ServiceAccount" && o.root["automountServiceAccountToken"].Bool()) {
      pc.sa_automount[o.ns + "/" + o.name] = *o.root["automountServiceAccountToken"].Bool();
    }
    if (o.kind == "Namespace") {
      view.ns_labels[o.name] = LabelsOf(o.root["metadata"]);
      view.ns_objects[o.name] = &o;
    }
  }
  std::vector<Workload> workloads = ExtractWorkloads(objects);
  for (const Workload& w : workloads) view.ns_labels.try_emplace(w.object->ns);
  for (auto& [name, labels] : view.ns_labels) {
    if (!FindLabel(labels, "kubernetes.io/metadata.name")) {
      labels.emplace_back("kubernetes.io/metadata.name", name);
      std::sort(labels.begin(), labels.end());
    }
  }
  for (const Workload& w : workloads) {
    BULKHEAD_RETURN_IF_ERROR(internal::CheckWorkload(w, pc, &r.findings));
  }
  for (const Object& o : objects) {
    if (o.kind != "ConfigMap") continue;
    ++config_maps;
    BULKHEAD_RETURN_IF_ERROR(internal::CheckConfigMap(o, pc, &r.findings));
  }
  size_t bindings = internal::CheckRbac(objects, &r.findings, &r.diagnostics);
  size_t components = internal::CheckControlPlane(objects, &r.findings);

  for (const Workload& w : workloads) view.workloads.push_back(&w);
  std::sort(view.workloads.begin(), view.workloads.end(),
            [](const Workload* a, const Workload* b) { return a->id < b->id; });
  AssignLevels(options, &view, &r.diagnostics);
  internal::AnalysisOutput out{&r.findings, &r.diagnostics, &result.summary};
  if (!workloads.empty()) {
    internal::AnalyzeNetwork(objects, view, out);
    internal::AnalyzeScheduling(objects, view, out);
  }

  r.control_scope.assign(std::begin(kScope), std::end(kScope));
  if (!workloads.empty()) {
    for (std::string_view c : {"4.1.5", "4.3.3", "4.3.4", "4.4.2", "4.4.3"}) {
      r.assessed_controls.emplace_back(c);
    }
  }
  if (options.secrets && (!workloads.empty() || config_maps > 0)) {
    r.assessed_controls.emplace_back("4.1.4");
  }
  if (bindings > 0) r.assessed_controls.emplace_back("4.3.1");
  if (components > 0) {
    r.assessed_controls.emplace_back("4.3.2");
    r.assessed_controls.emplace_back("4.3.5");
  }
  std::sort(r.assessed_controls.begin(), r.assessed_controls.end());
  r.assessed_controls.erase(std::unique(r.assessed_controls.begin(), r.assessed_controls.end()),
                            r.assessed_controls.end());
  r.Sort();
  RollUpControls(&r);
  return result;
}

}  // namespace bulkhead::k8s
