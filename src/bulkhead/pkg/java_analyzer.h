// Java: .jar, .war and .ear archives (and Jenkins' .hpi/.jpi), read with libarchive's
// zip reader. Each META-INF/maven/<g>/<a>/pom.properties is a package; an archive with
// none falls back to META-INF/MANIFEST.MF. Nested archives (WEB-INF/lib, BOOT-INF/lib,
// shaded lib/) are read from memory, recursively, within depth, size and total
// decompression bounds, so a zip bomb becomes a diagnostic. Archives are reduced during
// the layer pass (see reducing_analyzer.h); packages are "groupId:artifactId".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bulkhead/pkg/reducing_analyzer.h"

namespace bulkhead::pkg {

/// Bounds of one archive's reduction.
struct JarLimits {
  size_t max_depth = 4;                               ///< Nesting of archives in archives.
  uint64_t max_nested_bytes = uint64_t{64} << 20;     ///< One nested archive, inflated.
  uint64_t max_inflated_bytes = uint64_t{256} << 20;  ///< All reads of one outer archive.
  size_t max_entries = 200'000;                       ///< Entries over all nesting levels.
};

class JavaAnalyzer final : public ReducingAnalyzer {
 public:
  JavaAnalyzer() = default;
  explicit JavaAnalyzer(JarLimits limits) : limits_(limits) {}

  std::string_view Type() const override { return "jar"; }
  uint32_t Version() const override { return 2; }
  bool Required(std::string_view path, const FileMeta& meta) const noexcept override;
  Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const override;

  uint64_t MaxReduceBytes() const noexcept override { return uint64_t{512} << 20; }
  bool Accepts(std::string_view head) const noexcept override;
  /// Buffers the archive (a zip's directory is at its end), then reads it.
  std::unique_ptr<Reduction> StartReduction(std::string_view path, uint64_t size) const override;

 private:
  JarLimits limits_;
};

}  // namespace bulkhead::pkg
