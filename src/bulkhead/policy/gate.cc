#include "bulkhead/policy/gate.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "bulkhead/core/controls.h"

namespace bulkhead::policy {

Result<std::vector<Severity>> ParseSeverities(std::string_view list) {
  std::vector<Severity> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string item(list.substr(0, comma));
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
    std::erase_if(item, [](unsigned char c) { return std::isspace(c); });
    for (char& c : item) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (item.empty()) continue;
    bool known = false;
    for (Severity s : {Severity::kUnknown, Severity::kLow, Severity::kMedium, Severity::kHigh,
                       Severity::kCritical}) {
      if (SeverityName(s) == item) {
        out.push_back(s);
        known = true;
      }
    }
    if (!known) {
      return Status::InvalidArgument("--severity: unknown severity '" + item +
                                     "' (use CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)");
    }
  }
  if (out.empty()) return Status::InvalidArgument("--severity: no severity given");
  return out;
}

void FilterBySeverity(std::span<const Severity> keep, Report* report) {
  std::erase_if(report->findings, [&](const Finding& f) {
    return std::find(keep.begin(), keep.end(), f.severity) == keep.end();
  });
  RollUpControls(report);
}

bool PurlMatches(std::string_view wanted, std::string_view have) {
  if (wanted.find('?') != std::string_view::npos) return wanted == have;
  return have.substr(0, std::min(have.find('?'), have.find('#'))) == wanted;
}

bool GateFails(const Report& report) { return !report.findings.empty(); }

}  // namespace bulkhead::policy
