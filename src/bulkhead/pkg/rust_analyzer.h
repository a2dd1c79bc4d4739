// Rust: Cargo.lock (lockfile versions 1-4). Crates without a `source` are the
// workspace's own (path dependencies) and are left out; with the project's Cargo.toml
// beside the lock, so are crates only its dev-dependencies pull in. Binaries built with
// cargo-auditable are read by BinaryAnalyzer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg {

/// What Cargo.toml says about the root crate.
struct CargoManifest {
  std::string name;                   ///< [package] name; "" for a virtual workspace.
  std::vector<std::string> dev_only;  ///< Dev-dependencies that are not also dependencies.
};
CargoManifest ParseCargoManifest(std::string_view text);

/// The crates of a Cargo.lock; with `manifest`, only those the root crate needs outside
/// its dev-dependencies.
Result<std::vector<internal::LangEntry>> ParseCargoLock(std::string_view text,
                                                        const std::string& name,
                                                        const CargoManifest* manifest = nullptr);

class RustAnalyzer final : public Analyzer {
 public:
  std::string_view Type() const override { return "cargo"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;
};

}  // namespace bulkhead::pkg
