#include "bulkhead/k8s/internal/findings.h"

#include "bulkhead/k8s/check_catalog.h"

namespace bulkhead::k8s::internal {
namespace {

constexpr std::string_view kPssUrl =
    "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

void SplitInto(std::string_view list, std::vector<std::string>* out) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    if (!item.empty()) out->emplace_back(item);
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
  }
}

}  // namespace

Finding MakeFinding(std::string_view id, const Object& object, std::string title,
                    std::string container, std::string field, uint32_t line) {
  const CheckInfo* c = FindCheck(id);
  Finding f;
  f.id = std::string(id);
  f.kind = FindingKind::kMisconfiguration;
  f.title = std::move(title);
  f.object = object.Id();
  f.path = object.file;
  f.line = line != 0 ? line : object.line;
  f.container = std::move(container);
  f.field = std::move(field);
  if (c == nullptr) return f;
  f.severity = c->severity;
  if (f.title.empty()) f.title = std::string(c->title);
  f.description = std::string(c->description);
  f.remediation = std::string(c->remediation);
  SplitInto(c->controls, &f.controls);
  if (c->standard.starts_with("PSS")) f.references.emplace_back(kPssUrl);
  size_t cis = c->standard.find("CIS ");
  if (cis != std::string_view::npos) {
    f.references.push_back("CIS Kubernetes Benchmark 1.8: " +
                           std::string(c->standard.substr(cis + 4)));
  }
  return f;
}

std::string Indexed(std::string_view prefix, size_t i) {
  return std::string(prefix) + "[" + std::to_string(i) + "]";
}

}  // namespace bulkhead::k8s::internal
