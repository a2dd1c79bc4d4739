// Executables (ELF, 32/64-bit, either byte order) that record what they were built
// from:
//   - Go: the .go.buildinfo section (Go 1.13+; inline strings since 1.18, pointers
//     before): the main module, every dependency ("=>" replacements applied), and the
//     toolchain version as the package "stdlib" ("go1.21.3" -> "v1.21.3"). All golang.
//   - Rust built with cargo-auditable: the .dep-v0 section, zlib-compressed JSON of the
//     crates compiled in (the root crate and build-only crates left out). All cargo.
// Executables are reduced during the layer pass (see reducing_analyzer.h), keeping only
// the regions the build information can be in (ElfReduction in the .cc). Truncated or
// inconsistent sections are diagnostics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/pkg/internal/sparse_file.h"
#include "bulkhead/pkg/internal/summary.h"
#include "bulkhead/pkg/reducing_analyzer.h"

namespace bulkhead::pkg {

/// The packages of one ELF file, and problems met reading it.
internal::Summary ReadElfPackages(std::string_view content);
/// The same, from the bytes a reduction kept.
internal::Summary ReadElfPackages(const internal::SparseFile& file);

/// Go's module info text ("path\t...\nmod\t...\ndep\t...") and toolchain version as
/// packages.
std::vector<internal::SummaryPackage> ParseGoModInfo(std::string_view go_version,
                                                     std::string_view modinfo);

class BinaryAnalyzer final : public ReducingAnalyzer {
 public:
  std::string_view Type() const override { return "binary"; }
  uint32_t Version() const override { return 1; }
  /// Regular files with an execute bit, of at least 1 KiB.
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;

  uint64_t MaxReduceBytes() const noexcept override { return uint64_t{512} << 20; }
  bool Accepts(std::string_view head) const noexcept override;
  std::unique_ptr<Reduction> StartReduction(std::string_view path, uint64_t size) const override;
};

}  // namespace bulkhead::pkg
