// The image scan pipeline: source -> layers (in parallel, one pass each) -> squash ->
// analyzers -> Report. The CLI and, later, the server call this; it holds no state
// between scans.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "bulkhead/archive/decompress.h"
#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/config/image_checks.h"
#include "bulkhead/core/report.h"
#include "bulkhead/image/layer_walk.h"
#include "bulkhead/image/source.h"
#include "bulkhead/malware/malicious_packages.h"
#include "bulkhead/malware/scanner.h"
#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/vuln/matcher.h"
#include "bulkhead/vulndb/database.h"

namespace bulkhead::scan {

struct ScanOptions {
  image::SourceOptions source;
  archive::DecompressOptions decompress;
  archive::TarLimits tar;
  image::RootfsLimits rootfs;
  /// Files larger than this are not handed to analyzers (a diagnostic says so).
  uint64_t max_file_bytes = uint64_t{256} << 20;
  /// Layers processed at once; 0 means one per core.
  size_t threads = 0;
  /// Run the image configuration and trust checks (4.1.2, 4.1.5).
  bool config_checks = true;
  config::CheckOptions checks;
  /// Scan every file of every layer, and the image config, for secrets (4.1.4). Null:
  /// not run. REQUIRES: outlives the scan.
  const secret::Engine* secrets = nullptr;
  secret::ScanOptions secret_options;
  /// Scan files for malware (4.1.3): files up to `malware_max_file_bytes` against YARA
  /// rules and hash lists, small files for the EICAR test signature. Null: not run.
  /// REQUIRES: outlives the scan.
  const malware::Engine* malware = nullptr;
  uint64_t malware_max_file_bytes = 32 << 20;
  /// Lists of known malicious packages, matched against the inventory (4.1.3).
  std::vector<malware::MaliciousPackages> malicious_packages;
  /// Match the inventory against this vulnerability database (4.1.1) once the layers are
  /// read. Null: not run. Not thread-safe: one database per concurrent scan.
  /// REQUIRES: outlives the scan.
  vulndb::Database* vulndb = nullptr;
  vuln::MatchOptions match;
};

/// Fills `registry` with every analyzer an image scan uses: the package analyzers and
/// the files the configuration checks read.
Status RegisterScanAnalyzers(pkg::AnalyzerRegistry* registry);

/// Receives progress; called from worker threads, so implementations must be
/// thread-safe.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void LayerDone(size_t done, size_t total) = 0;
};

/// Scans the image or root filesystem named by `source` (see image::ParseSourceSpec).
/// Errors that make the result untrustworthy (unreadable source, corrupt layer, digest
/// mismatch, a limit hit) fail the scan; problems with single files become diagnostics.
Result<Report> ScanImage(std::string_view source, const pkg::AnalyzerRegistry& analyzers,
                         const ScanOptions& options, ProgressSink* progress = nullptr);

/// The NIST sections an image scan speaks to.
inline constexpr std::string_view kImageControls[] = {"4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.1.5"};

}  // namespace bulkhead::scan
