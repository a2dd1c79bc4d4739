// npm: installed packages (node_modules/<name>/package.json and
// node_modules/@scope/<name>/package.json) and the lockfiles package-lock.json (v1-v3),
// yarn.lock (v1 and berry) and pnpm-lock.yaml (v5-v9). Lockfile dev dependencies are
// left out, as npm leaves them out of a production install; a lockfile whose project
// has an installed node_modules tree in the image is left to that tree, so a package is
// reported once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

/// Parsers of one file each; `name` names the file in errors. Entries are (name, version)
/// pairs, unsorted, possibly repeated.
Result<std::vector<internal::LangEntry>> ParsePackageLock(std::string_view text,
                                                          const std::string& name);
Result<std::vector<internal::LangEntry>> ParseYarnLock(std::string_view text,
                                                       const std::string& name);
Result<std::vector<internal::LangEntry>> ParsePnpmLock(std::string_view text,
                                                       const std::string& name);

class NpmAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "npm"; }
  uint32_t Version() const override { return 1; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
