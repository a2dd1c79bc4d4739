// The Kubernetes audit: every check of the module over a set of loaded manifests, as one
// Report (target kind "manifests") plus the text summary of reachability between
// sensitivity levels that the table view prints after the findings.
//
// Audit is a pure function of its inputs (the secret engine is only read): thread-safe,
// deterministic (findings sorted with Report::Sort). Errors: InvalidArgument when no
// sensitivity level is given; the secret engine's own errors (scratch allocation, a
// vectorscan failure).
#pragma once

#include <string>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/k8s/manifest.h"
#include "bulkhead/secret/engine.h"

namespace bulkhead::k8s {

struct AuditOptions {
  /// Registries (or registry/repository prefixes) images may come from; empty: not checked.
  std::vector<std::string> trusted_registries;
  /// The label (on the pod template, else on the namespace) naming a workload's level.
  std::string sensitivity_label = "bulkhead.io/sensitivity";
  /// Levels, lowest first. Workloads without the label (or with an unknown value, which is
  /// also a diagnostic) are at the lowest level.
  std::vector<std::string> sensitivity_levels = {"public", "low", "medium", "high", "restricted"};
  /// Null: no secret scan of env values and ConfigMaps (only the name-based checks).
  const secret::Engine* secrets = nullptr;
  /// Pair findings (cross-sensitivity paths, shared nodes) listed at most; the rest is
  /// counted in a diagnostic and in the summary.
  size_t max_pair_findings = 1000;
  /// Workloads above which network paths between pairs are not computed (a diagnostic
  /// says so): the analysis keeps two bit sets of n bits per workload.
  size_t max_pairwise_workloads = 20000;
};

struct AuditResult {
  Report report;
  /// Reachability between sensitivity levels and node sharing, for the table view.
  std::string summary;
};

/// Audits `manifests` (their diagnostics are carried into the report). `target_name`
/// names the inputs in the report, e.g. "deploy/ ns.yaml".
Result<AuditResult> Audit(const Manifests& manifests, const AuditOptions& options,
                          const std::string& target_name);

/// Parses a comma-separated list ("public,low,high") into levels. InvalidArgument on an
/// empty list, an empty entry or a repeated one.
Result<std::vector<std::string>> ParseLevels(std::string_view list);

}  // namespace bulkhead::k8s
