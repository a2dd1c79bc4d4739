// `bulkhead k8s`: audits Kubernetes manifests (issue 6). Only parses flags and wires.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>

#include "bulkhead/k8s/audit.h"
#include "bulkhead/k8s/manifest.h"
#include "bulkhead/policy/gate.h"
#include "bulkhead/policy/policy_file.h"
#include "bulkhead/report/writer.h"
#include "bulkhead/secret/builtin_rules.h"
#include "cli/commands.h"

namespace bulkhead::cli {
namespace {

struct K8sFlags {
  std::vector<std::string> inputs;
  std::string format = "table";
  std::string output;
  std::string severity;
  std::string trusted;
  std::string policy;
  std::string as_of;
  std::string levels = "public,low,medium,high,restricted";
  std::string scanners = "config,secret";
  int exit_code = 0;
  k8s::LoadOptions load;
  k8s::AuditOptions audit;
};

// What the flags resolve to: the audit's options plus the engine and policy they borrow.
struct Setup {
  report::Format format = report::Format::kTable;
  std::vector<Severity> severities;
  std::optional<policy::Policy> gate_policy;
  std::unique_ptr<secret::Engine> engine;
};

std::vector<std::string> SplitCommas(std::string_view rest) {
  std::vector<std::string> out;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
  }
  return out;
}

std::string Today(const std::string& as_of) {
  if (!as_of.empty()) return as_of;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return buf;
}

void AddFlags(CLI::App& app, K8sFlags& f) {
  app.add_option("inputs", f.inputs,
                 "manifest files, directories (*.yaml, *.yml, *.json) or - for stdin")
      ->required();
  app.add_option("-f,--format", f.format, "table, json, sarif, junit or html")
      ->capture_default_str();
  app.add_option("-o,--output", f.output, "write the report to FILE instead of stdout");
  app.add_option("--severity", f.severity, "report only these severities, e.g. CRITICAL,HIGH");
  app.add_option("--exit-code", f.exit_code,
                 "exit with this code when any reported finding remains (default 0)");
  app.add_option("--trusted-registries", f.trusted,
                 "comma-separated registries (or registry/repository prefixes) images may come "
                 "from; others are findings (4.1.5)");
  app.add_option("--policy", f.policy, "policy file (YAML, docs/policy.md)");
  app.add_option("--as-of", f.as_of, "judge exception expiry as of YYYY-MM-DD, not today");
  app.add_option("--sensitivity-label", f.audit.sensitivity_label,
                 "label (pod template or namespace) that holds a workload's sensitivity")
      ->capture_default_str();
  app.add_option("--sensitivity-levels", f.levels, "sensitivity values, lowest first")
      ->capture_default_str();
  app.add_option("--scanners", f.scanners,
                 "config (every check) and secret (secret engine on env values and ConfigMaps)")
      ->capture_default_str();
  app.add_option("--max-pair-findings", f.audit.max_pair_findings,
                 "cross-sensitivity paths and shared-node pairs listed at most")
      ->capture_default_str();
  app.add_option("--max-file-bytes", f.load.max_file_bytes, "size of one manifest file")
      ->capture_default_str();
  app.add_option("--max-documents", f.load.max_documents, "YAML documents per file")
      ->capture_default_str();
  app.add_option("--max-nodes", f.load.max_nodes, "YAML nodes per file, aliases counted")
      ->capture_default_str();
  app.add_option("--max-depth", f.load.max_depth, "YAML nesting depth")->capture_default_str();
  app.add_option("--threads", f.load.threads, "YAML documents parsed at once (0: one per core)")
      ->capture_default_str();
}

// Turns the flags into audit options; fails on bad values.
Status Resolve(K8sFlags& f, Setup* s) {
  BULKHEAD_ASSIGN_OR_RETURN(s->format, report::ParseFormat(f.format));
  if (s->format == report::Format::kCycloneDx || s->format == report::Format::kSpdx) {
    return Status::InvalidArgument("--format " + f.format +
                                   ": an SBOM has no meaning for manifests "
                                   "(table, json, sarif, junit, html)");
  }
  if (!f.severity.empty()) {
    BULKHEAD_ASSIGN_OR_RETURN(s->severities, policy::ParseSeverities(f.severity));
  }
  BULKHEAD_ASSIGN_OR_RETURN(f.audit.sensitivity_levels, k8s::ParseLevels(f.levels));
  f.audit.trusted_registries = SplitCommas(f.trusted);
  if (!f.policy.empty()) {
    BULKHEAD_ASSIGN_OR_RETURN(s->gate_policy, policy::LoadPolicy(f.policy));
    for (const std::string& r : s->gate_policy->trusted_registries) {
      f.audit.trusted_registries.push_back(r);
    }
  }
  for (const std::string& name : SplitCommas(f.scanners)) {
    if (name == "secret") {
      BULKHEAD_ASSIGN_OR_RETURN(s->engine,
                                secret::Engine::Compile(secret::BuiltinRules(), nullptr));
      f.audit.secrets = s->engine.get();
    } else if (name != "config") {
      return Status::InvalidArgument("--scanners: unknown scanner '" + name + "' (config, secret)");
    }
  }
  return Status::OK();
}

}  // namespace

int RunK8s(int argc, char** argv) {
  CLI::App app(
      "Audit Kubernetes manifests: workloads, network segmentation, sensitivity "
      "separation, RBAC and control plane (NIST SP 800-190 4.3, 4.4)",
      "bulkhead k8s");
  K8sFlags f;
  AddFlags(app, f);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "bulkhead %s: %s (see --help)\n", argv[0], e.what());
    return kExitError;
  }
  Setup setup;
  if (Status s = Resolve(f, &setup); !s.ok()) return Fail("bulkhead", s);

  k8s::Manifests manifests;
  std::string target;
  for (const std::string& in : f.inputs) {
    if (Status s = k8s::LoadPath(in, f.load, &manifests); !s.ok()) return Fail("bulkhead", s);
    target += (target.empty() ? "" : " ") + in;
  }
  Result<k8s::AuditResult> result = k8s::Audit(manifests, f.audit, target);
  if (!result.ok()) return Fail("bulkhead", result.error());
  Report& report = result->report;
  if (!setup.severities.empty()) policy::FilterBySeverity(setup.severities, &report);
  const bool gate_fails = setup.gate_policy
                              ? policy::ApplyPolicy(*setup.gate_policy, Today(f.as_of), &report)
                              : policy::GateFails(report);

  report::WriteOptions wo;
  wo.tool_version = BULKHEAD_VERSION;
  std::ofstream file;
  if (!f.output.empty()) {
    file.open(f.output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail("bulkhead", Status::IOError("cannot write " + f.output));
  }
  std::ostream& out = f.output.empty() ? std::cout : file;
  const bool table = setup.format == report::Format::kTable;
  wo.color = table && f.output.empty() && isatty(STDOUT_FILENO);
  if (Status s = report::WriteReport(report, setup.format, wo, out); !s.ok())
    return Fail("bulkhead", s);
  if (table && !result->summary.empty()) out << "\n" << result->summary;
  out.flush();
  return gate_fails ? f.exit_code : kExitOk;
}

}  // namespace bulkhead::cli
