// .NET: *.deps.json (the runtime's dependency manifest beside an application; only
// "package" libraries, not the project itself) and NuGet's packages.lock.json (Direct
// and Transitive dependencies of every target framework).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

Result<std::vector<internal::LangEntry>> ParseDepsJson(std::string_view text,
                                                       const std::string& name);
Result<std::vector<internal::LangEntry>> ParseNugetLock(std::string_view text,
                                                        const std::string& name);

class DotnetAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "nuget"; }
  uint32_t Version() const override { return 1; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
