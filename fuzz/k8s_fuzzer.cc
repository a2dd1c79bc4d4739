// Kubernetes manifests: arbitrary bytes are loaded as a YAML/JSON stream with small limits
// (so that bombs and deep nesting hit them quickly), then audited with every check,
// network reachability and scheduling included. Loading must fail with a one-line message
// naming the input, or succeed; the audit of whatever loaded must succeed, and the same
// input must give the same findings twice (determinism).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bulkhead/k8s/audit.h"
#include "bulkhead/k8s/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bulkhead::k8s::LoadOptions load;
  load.max_file_bytes = 1 << 20;
  load.max_documents = 256;
  load.max_nodes = 20000;
  load.max_depth = 64;
  load.threads = 1;
  bulkhead::k8s::Manifests m;
  bulkhead::Status s = bulkhead::k8s::ParseManifests(text, "fuzz.yaml", load, &m);
  if (!s.ok()) {
    std::string_view msg = s.message();
    if (msg.find("fuzz.yaml") == std::string_view::npos) __builtin_trap();
    return 0;
  }
  bulkhead::k8s::AuditOptions options;
  options.trusted_registries = {"registry.example.com"};
  options.max_pair_findings = 50;
  auto first = bulkhead::k8s::Audit(m, options, "fuzz");
  auto second = bulkhead::k8s::Audit(m, options, "fuzz");
  if (!first.ok() || !second.ok()) __builtin_trap();
  if (first->report.findings.size() != second->report.findings.size() ||
      first->summary != second->summary) {
    __builtin_trap();
  }
  for (size_t i = 0; i < first->report.findings.size(); ++i) {
    const auto& a = first->report.findings[i];
    const auto& b = second->report.findings[i];
    if (a.id != b.id || a.object != b.object || a.field != b.field || a.title != b.title) {
      __builtin_trap();
    }
  }
  return 0;
}
