// dpkg: /var/lib/dpkg/status, distroless /var/lib/dpkg/status.d/*, and the per-package
// file lists in /var/lib/dpkg/info/*.list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

/// One stanza of a dpkg database, as written.
struct DpkgStanza {
  std::string package;
  std::string status;  ///< "install ok installed"; empty in distroless status.d files.
  std::string version;
  std::string architecture;
  std::string source;  ///< "name" or "name (version)".
  std::string multi_arch;
};

/// Parses a dpkg status file into stanzas. Continuation lines are joined. A malformed
/// line is Corruption naming `name` and the line number: with `problem`, the stanza that
/// holds it is dropped, the first such error goes to *problem and the other stanzas are
/// returned (one damaged entry must not hide every package); without, it is returned.
/// More than `max_stanzas` is ResourceExhausted.
Result<std::vector<DpkgStanza>> ParseDpkgStatus(std::string_view text, const std::string& name,
                                                size_t max_stanzas = 200'000,
                                                Status* problem = nullptr);

class DpkgAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "dpkg"; }
  uint32_t Version() const override { return 3; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
