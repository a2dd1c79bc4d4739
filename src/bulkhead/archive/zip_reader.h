// A zip read through its central directory (PKWARE APPNOTE 6.3, sections 4.3 and 4.4),
// so that entries can be inflated on any thread: libarchive streams a zip one entry
// after another on the reading thread, which made that thread the bottleneck of
// importing osv.dev's all.zip files.
//
// Only what feeds need: stored and deflated entries, zip64; encrypted entries, other
// methods and multi-disk archives are refused. A hostile archive stops with an error:
// the directory and every entry must lie inside the file, entries must not overlap (the
// overlapping-entries zip bomb), and each entry must inflate to exactly its declared
// size with its declared CRC-32.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/core/result.h"

namespace bulkhead::archive {

struct ZipEntry {
  std::string name;
  uint16_t flags = 0;
  uint16_t method = 0;  ///< 0 stored, 8 deflate
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t size = 0;  ///< uncompressed, as the central directory declares it
  uint64_t local_header_offset = 0;
  uint64_t limit = 0;  ///< where the next entry (or the directory) starts

  bool is_directory() const { return !name.empty() && name.back() == '/'; }
};

struct ZipLimits {
  uint64_t max_entries = 4'000'000;
  uint64_t max_directory_bytes = uint64_t{1} << 30;
};

class ZipReader {
 public:
  /// Reads the central directory of the zip at `path`. Corruption naming `path` when
  /// it is not a zip or its directory is damaged; ResourceExhausted past `limits`.
  static Result<std::shared_ptr<const ZipReader>> Open(const std::string& path,
                                                       const ZipLimits& limits = {});

  /// In central directory order.
  const std::vector<ZipEntry>& entries() const { return entries_; }
  const std::string& path() const { return file_->path(); }

  /// The uncompressed bytes of entries()[index]. ResourceExhausted when the entry
  /// declares more than `max_bytes`; Corruption or Unsupported naming "path:entry".
  /// Thread-safe.
  Result<std::string> Read(size_t index, uint64_t max_bytes) const;

 private:
  explicit ZipReader(std::shared_ptr<SharedFile> file) : file_(std::move(file)) {}
  std::shared_ptr<SharedFile> file_;
  std::vector<ZipEntry> entries_;
};

}  // namespace bulkhead::archive
