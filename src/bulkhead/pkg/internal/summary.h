// The summary a ReducingAnalyzer keeps of a big file: the packages found in it and the
// problems met, in a small line format that starts with a NUL byte (so no jar or ELF
// file can be mistaken for one). Module-private. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulkhead::pkg::internal {

struct SummaryPackage {
  std::string type;  ///< purl type.
  std::string name;
  std::string version;
};

struct Summary {
  std::vector<SummaryPackage> packages;
  std::vector<std::string> problems;
};

/// Whether `content` is an encoded summary.
bool IsSummary(std::string_view content);
std::string EncodeSummary(const Summary& summary);
/// Decodes what EncodeSummary wrote; unknown lines are skipped.
Summary DecodeSummary(std::string_view content);

}  // namespace bulkhead::pkg::internal
