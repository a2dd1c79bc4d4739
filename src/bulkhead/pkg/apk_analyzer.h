// apk: /lib/apk/db/installed (Alpine, Wolfi, Chainguard).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"

namespace bulkhead::pkg {

struct ApkRecord {
  std::string name;                ///< P:
  std::string version;             ///< V:
  std::string arch;                ///< A:
  std::string origin;              ///< o:
  std::vector<std::string> files;  ///< F: directories joined with R: files.
};

/// Parses an apk installed database. Corruption names `name` and the line.
Result<std::vector<ApkRecord>> ParseApkInstalled(std::string_view text, const std::string& name,
                                                 size_t max_records = 200'000);

class ApkAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "apk"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
