// PHP: composer.lock ("packages"; "packages-dev" is left out) and Composer's
// vendor/composer/installed.json (v1: an array; v2: {"packages": [...]}).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

/// Either file's packages; Corruption naming `name` when it is not JSON.
Result<std::vector<internal::LangEntry>> ParseComposerPackages(std::string_view text,
                                                               const std::string& name);

class PhpAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "composer"; }
  uint32_t Version() const override { return 1; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
