// .NET: *.deps.json (the runtime's dependency manifest beside an application; only
// "package" libraries, not the project itself), NuGet's packages.lock.json (Direct
// and Transitive dependencies of every target framework) and central package management
// files (Directory.Packages.props, Packages.props: the <PackageVersion> and versioned
// <PackageReference> items of the project's item groups).
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
/// The items <Project><ItemGroup><PackageVersion|PackageReference Include="N" Version="V"/>
/// ("Update" names the package when "Include" is absent). Versions that MSBuild computes
/// ("$(Prop)") or that are ranges ("[1.0,2.0)") name no one version and are left out.
/// Corruption naming `name` on XML that does not parse; ResourceExhausted when nested
/// deeper than kMaxLockDepth.
Result<std::vector<internal::LangEntry>> ParsePackagesProps(std::string_view text,
                                                            const std::string& name);

class DotnetAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "nuget"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
