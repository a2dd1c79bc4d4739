// Python: installed distributions (*.dist-info/METADATA, *.egg-info/PKG-INFO and the
// single-file *.egg-info older setuptools writes) and the lockfiles poetry.lock,
// Pipfile.lock, uv.lock and pinned requirements*.txt. Dev packages are left out where the
// lockfile tells them apart: Pipfile.lock "develop", poetry < 1.2 category "dev", and
// uv.lock packages only the project's dev-dependencies reach.
// Names are reported as written; purls carry the PEP 503 name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

/// Name and Version of a core-metadata file (METADATA, PKG-INFO); Corruption when either
/// is missing from the header block.
Result<internal::LangEntry> ParsePythonMetadata(std::string_view text, const std::string& name);
/// "name==version" lines (extras, markers, hashes and comments stripped); other lines
/// are not pins and are skipped.
std::vector<internal::LangEntry> ParseRequirements(std::string_view text);
Result<std::vector<internal::LangEntry>> ParsePipfileLock(std::string_view text,
                                                          const std::string& name);
Result<std::vector<internal::LangEntry>> ParsePoetryLock(std::string_view text,
                                                         const std::string& name);
Result<std::vector<internal::LangEntry>> ParseUvLock(std::string_view text,
                                                     const std::string& name);

class PythonAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "python"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
