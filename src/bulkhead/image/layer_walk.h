// The one pass over a layer: every tar entry is canonicalised, whiteouts are recorded,
// metadata is kept for the overlay, and a visitor decides, entry by entry, whether to
// read the content. A rootfs directory is walked into the same shape, as one layer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/core/report.h"

namespace bulkhead::image {

using archive::EntryType;

struct FileMeta {
  EntryType type = EntryType::kOther;
  uint32_t mode = 0;  ///< 07777 bits.
  uint64_t uid = 0;
  uint64_t gid = 0;
  uint64_t size = 0;
  /// Symlinks: the raw target. Hardlinks: the canonical path linked to.
  std::string link_target;
};

/// Reads the data of the entry being visited. Valid only during EntryVisitor::OnEntry.
class ContentReader {
 public:
  virtual ~ContentReader() = default;
  /// Returns 0 at the end of the entry's data.
  virtual Result<size_t> Read(uint8_t* buf, size_t size) = 0;
};

/// Per-layer callback. One visitor serves one layer on one thread.
class EntryVisitor {
 public:
  virtual ~EntryVisitor() = default;
  /// Called for each entry other than whiteouts, with its canonical path. A non-OK
  /// return stops the walk of this layer with that error.
  virtual Status OnEntry(const std::string& path, const FileMeta& meta, ContentReader& content) = 0;
};

/// What one layer holds, for the overlay.
struct LayerFiles {
  struct Entry {
    std::string path;
    FileMeta meta;
  };
  std::vector<Entry> entries;            ///< In archive order; a later duplicate wins.
  std::vector<std::string> whiteouts;    ///< Canonical paths this layer deletes below it.
  std::vector<std::string> opaque_dirs;  ///< Directories whose lower contents it hides.
  std::vector<Diagnostic> diagnostics;   ///< Odd entries: paths that climb out, and so on.
};

/// Walks the uncompressed tar `stream` of one layer. Returns the first fatal error
/// (corrupt tar, a limit, a digest mismatch at the end of the stream).
Status WalkLayer(std::unique_ptr<archive::ByteSource> stream, const archive::TarLimits& limits,
                 EntryVisitor& visitor, LayerFiles* out);

struct RootfsLimits {
  uint64_t max_entries = 2'000'000;
  size_t max_depth = 256;
};

/// Walks the directory tree at `root` as one layer. Links are never followed, and other
/// file systems mounted below `root` (proc, sys, dev on a live host) are not entered.
Status WalkRootfs(const std::string& root, const RootfsLimits& limits, EntryVisitor& visitor,
                  LayerFiles* out);

}  // namespace bulkhead::image
