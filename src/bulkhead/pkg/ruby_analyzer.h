// Ruby: installed gem specifications (.../specifications/*.gemspec, as RubyGems writes
// them) and Gemfile.lock (the GEM section; GIT and PATH sources are the project's own
// or unreleased code).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

/// The `x.name = "..."` and `x.version = "..."` assignments of a gemspec; Corruption
/// naming `name` when either is missing.
Result<internal::LangEntry> ParseGemspec(std::string_view text, const std::string& name);
/// The gems of the GEM section's specs (platform suffixes removed).
std::vector<internal::LangEntry> ParseGemfileLock(std::string_view text);

class RubyAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "gem"; }
  uint32_t Version() const override { return 1; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
