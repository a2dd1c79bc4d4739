#include "bulkhead/core/report.h"

#include <algorithm>
#include <tuple>

namespace bulkhead {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "CRITICAL";
    case Severity::kHigh:
      return "HIGH";
    case Severity::kMedium:
      return "MEDIUM";
    case Severity::kLow:
      return "LOW";
    case Severity::kUnknown:
      break;
  }
  return "UNKNOWN";
}

std::string_view FindingKindName(FindingKind k) {
  switch (k) {
    case FindingKind::kVulnerability:
      return "vulnerability";
    case FindingKind::kSecret:
      return "secret";
    case FindingKind::kMalware:
      return "malware";
    case FindingKind::kMisconfiguration:
      break;
  }
  return "misconfiguration";
}

std::string_view ControlStatusName(ControlStatus s) {
  switch (s) {
    case ControlStatus::kPass:
      return "pass";
    case ControlStatus::kFail:
      return "fail";
    case ControlStatus::kNotAssessed:
      break;
  }
  return "not-assessed";
}

void Report::Sort() {
  std::sort(packages.begin(), packages.end(), [](const Package& a, const Package& b) {
    return std::tie(a.type, a.name, a.version, a.arch, a.db_path) <
           std::tie(b.type, b.name, b.version, b.arch, b.db_path);
  });
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    // Most severe first, then a stable total order on identity and location.
    if (a.severity != b.severity) return a.severity > b.severity;
    static const PackageRef kNone;
    const PackageRef& pa = a.package ? *a.package : kNone;
    const PackageRef& pb = b.package ? *b.package : kNone;
    return std::tie(a.id, a.path, a.line, a.layer, a.object, a.container, a.field, pa.name,
                    pa.version, pa.purl, a.title) < std::tie(b.id, b.path, b.line, b.layer,
                                                             b.object, b.container, b.field,
                                                             pb.name, pb.version, pb.purl, b.title);
  });
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.layer, a.path, a.source, a.message) <
           std::tie(b.layer, b.path, b.source, b.message);
  });
}

}  // namespace bulkhead
