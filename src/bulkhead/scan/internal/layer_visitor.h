// The per-layer visitor of an image scan: for every entry of one layer it decides, from
// the analyzers' Required() and the secret scanner, whether the content is needed, and
// reads it once for all. Files a pkg::ReducingAnalyzer claims (jars, executables) are
// reduced as they are read and only their small summary is captured, so big files never
// stay in memory past their own entry. Module-private (bulkhead::scan::internal).
//
// One visitor per layer and thread; not thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bulkhead/image/layer_walk.h"
#include "bulkhead/malware/scanner.h"
#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/reducing_analyzer.h"
#include "bulkhead/scan/internal/content_pool.h"
#include "bulkhead/scan/scanner.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"

namespace bulkhead::scan::internal {

class LayerVisitor final : public image::EntryVisitor {
 public:
  /// `scratch` is null when secrets are not scanned. With a `pool`, file contents are
  /// scanned for secrets and malware on its workers and their results land in `pooled`
  /// (the caller waits on it); otherwise inline, with `scratch` and `malware`.
  /// REQUIRES: all arguments outlive the visitor.
  LayerVisitor(const pkg::AnalyzerRegistry& analyzers, const ScanOptions& options,
               secret::Scratch* scratch, malware::Scanner* malware, image::LayerFiles* files,
               ContentPool* pool = nullptr, LayerContent* pooled = nullptr);

  Status OnEntry(const std::string& path, const image::FileMeta& meta,
                 image::ContentReader& content) override;

  /// Gives hardlinks the content of their targets when that was captured, and returns
  /// the captured files.
  pkg::FileSet::LayerCapture TakeCaptures();
  /// The secrets found in this layer's files, with their paths.
  std::vector<std::pair<std::string, secret::SecretMatch>>& secrets() { return secrets_; }
  /// The malware found in this layer's files, with their paths.
  std::vector<std::pair<std::string, malware::Match>>& malware() { return malware_matches_; }

 private:
  void Note(const std::string& path, std::string message);
  /// Whether an analyzer that keeps whole files wants `path`.
  bool PlainRequired(const std::string& path, const image::FileMeta& meta) const noexcept;
  /// The first reducer that claims `path`, or null.
  const pkg::ReducingAnalyzer* Reducer(const std::string& path,
                                       const image::FileMeta& meta) const noexcept;

  const pkg::AnalyzerRegistry& analyzers_;
  const ScanOptions& options_;
  secret::Scratch* scratch_;
  malware::Scanner* malware_;
  image::LayerFiles* files_;
  ContentPool* pool_;
  LayerContent* pooled_;
  std::vector<const pkg::Analyzer*> plain_;
  std::vector<const pkg::ReducingAnalyzer*> reducers_;
  pkg::FileSet::LayerCapture captures_;
  std::vector<std::pair<std::string, std::string>> hardlinks_;
  std::vector<std::pair<std::string, secret::SecretMatch>> secrets_;
  std::vector<std::pair<std::string, malware::Match>> malware_matches_;
  std::vector<uint8_t> buffer_;
};

}  // namespace bulkhead::scan::internal
