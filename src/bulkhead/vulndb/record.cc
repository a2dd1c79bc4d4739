#include "bulkhead/vulndb/record.h"

#include <array>
#include <utility>

namespace bulkhead::vulndb {
namespace {

constexpr std::array<std::pair<VulnStatus, std::string_view>, 7> kStatusNames = {{
    {VulnStatus::kFixed, "fixed"},
    {VulnStatus::kAffected, "affected"},
    {VulnStatus::kFixDeferred, "fix-deferred"},
    {VulnStatus::kWillNotFix, "will-not-fix"},
    {VulnStatus::kEndOfLife, "end-of-life"},
    {VulnStatus::kNotAffected, "not-affected"},
    {VulnStatus::kUnderInvestigation, "under-investigation"},
}};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view StatusName(VulnStatus s) {
  for (const auto& [status, name] : kStatusNames) {
    if (status == s) return name;
  }
  return "affected";
}

std::optional<VulnStatus> ParseStatus(std::string_view name) {
  for (const auto& [status, n] : kStatusNames) {
    if (n == name) return status;
  }
  return std::nullopt;
}

std::optional<Severity> ParseSeverityWord(std::string_view word) {
  // GHSA: CRITICAL/HIGH/MODERATE/LOW; Red Hat and AlmaLinux: Critical/Important/
  // Moderate/Low; Ubuntu: critical/high/medium/low/negligible.
  struct Word {
    std::string_view text;
    Severity severity;
  };
  static constexpr Word kWords[] = {
      {"critical", Severity::kCritical}, {"high", Severity::kHigh},
      {"important", Severity::kHigh},    {"moderate", Severity::kMedium},
      {"medium", Severity::kMedium},     {"low", Severity::kLow},
      {"negligible", Severity::kLow},    {"unknown", Severity::kUnknown},
  };
  for (const Word& w : kWords) {
    if (EqualsIgnoreCase(word, w.text)) return w.severity;
  }
  return std::nullopt;
}

}  // namespace bulkhead::vulndb
