// Analyzers turn files captured during the layer pass into inventory facts (packages,
// the OS). The walk asks every analyzer `Required()` for each entry, and only the
// files some analyzer wants are kept in memory; after the squash, each analyzer reads
// them through a FileSet.
//
// Analyzers are const and stateless, so one instance serves any number of scans and
// threads. Registries are values (no global registration): see builtin_analyzers.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/image/overlay.h"

namespace bulkhead::pkg {

using image::FileMeta;

/// Files captured per layer, plus the squash. Immutable once built; thread-safe to read.
/// string_views returned stay valid while the FileSet lives.
class FileSet {
 public:
  using LayerCapture = std::map<std::string, std::string, std::less<>>;

  FileSet(const image::Overlay* overlay, std::vector<LayerCapture> captures,
          std::vector<std::string> layer_digests);

  /// The content of `path` in the final image, links followed. NotFound when the path
  /// is absent, is not a regular file, or was not captured (no analyzer asked for it).
  Result<std::string_view> ReadFinal(std::string_view path) const;
  /// The content of `path` exactly as layer `layer` wrote it, if that layer holds it.
  std::optional<std::string_view> ReadInLayer(size_t layer, std::string_view path) const;
  /// Canonical paths captured from any layer under directory `dir` that are still in
  /// the final image, sorted.
  std::vector<std::string> FinalPathsUnder(std::string_view dir) const;
  /// Every captured path still in the final image, sorted (computed once).
  const std::vector<std::string>& FinalPaths() const { return final_paths_; }

  size_t layer_count() const { return captures_.size(); }
  const std::string& layer_digest(size_t layer) const { return layer_digests_[layer]; }
  /// The layer the final version of `path` (links followed) comes from.
  std::optional<uint32_t> FinalLayer(std::string_view path) const;
  const image::Overlay& overlay() const { return *overlay_; }

 private:
  const image::Overlay* overlay_;
  std::vector<LayerCapture> captures_;
  std::vector<std::string> layer_digests_;
  std::vector<std::string> final_paths_;
};

struct AnalysisInput {
  const FileSet& files;
  const OsInfo& os;
};

/// Collects an analyzer's output. Not thread-safe; one per analyzer run.
class AnalysisSink {
 public:
  void AddPackage(Package p) { packages_.push_back(std::move(p)); }
  /// A file the analyzer could not read or understand: reported, never dropped.
  void AddDiagnostic(std::string path, std::string message, std::string layer = "") {
    diagnostics_.push_back({std::move(layer), std::move(path), "", std::move(message)});
  }
  std::vector<Package>& packages() { return packages_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  std::vector<Package> packages_;
  std::vector<Diagnostic> diagnostics_;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  /// A stable id, e.g. "dpkg".
  virtual std::string_view Type() const = 0;
  /// Bumped whenever the output for the same input may change (cache keys, goldens).
  virtual uint32_t Version() const = 0;
  /// Whether the file at canonical `path` should be captured. Pure: no I/O, no
  /// allocation.
  virtual bool Required(std::string_view path, const FileMeta& meta) const noexcept = 0;
  /// Reads the captured files and reports packages. A failure is partial output plus a
  /// Status, which becomes a diagnostic.
  virtual Status Analyze(const AnalysisInput& input, AnalysisSink& sink) const = 0;
};

/// An ordered set of analyzers, owned by whoever scans.
class AnalyzerRegistry {
 public:
  /// InvalidArgument when an analyzer of the same Type() is already present.
  Status Add(std::unique_ptr<Analyzer> analyzer);
  bool Required(std::string_view path, const FileMeta& meta) const noexcept;
  std::span<const std::unique_ptr<Analyzer>> analyzers() const { return analyzers_; }

 private:
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
};

/// Tells which layer installed each package version, from the package database as each
/// layer wrote it: the first layer whose database lists the (key, version), provided
/// every later database kept it. Feed layers in order.
class PackageLayers {
 public:
  /// `entries` are (key, version) pairs from the database written by `layer`.
  void Observe(size_t layer, const std::vector<std::pair<std::string, std::string>>& entries);
  /// The installing layer, or nullopt when no layer's database listed it.
  std::optional<size_t> Find(const std::string& key, const std::string& version) const;

 private:
  std::map<std::pair<std::string, std::string>, size_t> first_layer_;
};

/// Helpers for Required(): a path equal to, or directly/indirectly under, a prefix.
bool PathHasPrefix(std::string_view path, std::string_view dir_with_slash) noexcept;
bool PathHasSuffix(std::string_view path, std::string_view suffix) noexcept;

/// Splits `text` into lines, dropping a trailing "\r"; `fn(line)` is called per line.
template <typename Fn>
void ForEachLine(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace bulkhead::pkg
