#include "bulkhead/pkg/internal/summary.h"

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg::internal {
namespace {
constexpr std::string_view kMagic{"\0bulkhead-summary-1\n", 20};

// Tabs and newlines would break the line format; they never belong in names.
std::string Clean(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}
}  // namespace

bool IsSummary(std::string_view content) { return content.starts_with(kMagic); }

std::string EncodeSummary(const Summary& summary) {
  std::string out(kMagic);
  for (const SummaryPackage& p : summary.packages) {
    out += "P\t" + Clean(p.type) + "\t" + Clean(p.name) + "\t" + Clean(p.version) + "\n";
  }
  for (const std::string& problem : summary.problems) out += "D\t" + Clean(problem) + "\n";
  return out;
}

Summary DecodeSummary(std::string_view content) {
  Summary out;
  if (!IsSummary(content)) return out;
  content.remove_prefix(kMagic.size());
  ForEachLine(content, [&](std::string_view line) {
    if (line.starts_with("D\t")) {
      out.problems.emplace_back(line.substr(2));
      return;
    }
    if (!line.starts_with("P\t")) return;
    line.remove_prefix(2);
    size_t a = line.find('\t');
    if (a == std::string_view::npos) return;
    size_t b = line.find('\t', a + 1);
    if (b == std::string_view::npos) return;
    out.packages.push_back({std::string(line.substr(0, a)),
                            std::string(line.substr(a + 1, b - a - 1)),
                            std::string(line.substr(b + 1))});
  });
  return out;
}

}  // namespace bulkhead::pkg::internal
