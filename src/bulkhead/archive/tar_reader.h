// TarReader: one forward pass over a tar stream (pax, GNU, ustar, v7) with libarchive,
// fed from a ByteSource. Entry data is read on demand and skipped otherwise.
//
// Not thread-safe. Entry fields stay valid until the next call to Next().
// Errors name the stream; the first error is sticky.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "bulkhead/archive/byte_source.h"

struct archive;

namespace bulkhead::archive {

enum class EntryType { kFile, kDirectory, kSymlink, kHardlink, kOther };

struct TarEntry {
  std::string path;  ///< As stored; canonicalise before use.
  EntryType type = EntryType::kOther;
  uint32_t mode = 0;  ///< Permission bits and setuid/setgid/sticky (07777).
  uint64_t uid = 0;
  uint64_t gid = 0;
  uint64_t size = 0;        ///< Data bytes (0 for links and directories).
  std::string link_target;  ///< Symlink target, or the path a hardlink points to.
};

struct TarLimits {
  uint64_t max_entries = 2'000'000;
  size_t max_path_bytes = 4096;
};

class TarReader {
 public:
  /// Starts reading `source`. Nothing is read until the first Next().
  static Result<std::unique_ptr<TarReader>> Open(std::unique_ptr<ByteSource> source,
                                                 const TarLimits& limits);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  /// Moves to the next entry, skipping the rest of the current one. Returns false at the
  /// end of the archive, after reading the source to its very end (so that digests
  /// wrapped around it are checked). A stream that stops cleanly after a complete entry
  /// without the end-of-archive blocks is accepted (Debian's umoci writes such tars), and
  /// an empty stream has no entries; a stream cut inside an entry's header or data, or a
  /// header with a bad checksum, is Corruption.
  Result<bool> Next(TarEntry* entry);

  /// Reads the current entry's data; returns 0 at its end.
  Result<size_t> ReadData(uint8_t* buf, size_t size);

  uint64_t entries_read() const { return entries_; }

 private:
  explicit TarReader(std::unique_ptr<ByteSource> source, const TarLimits& limits);
  static long ReadCallback(struct archive*, void* self, const void** buf);  // NOLINT
  Status Fail(Status s);
  Status ArchiveError(const char* what);
  Status DrainSource();
  /// ReadData, or with a null `buf`, skips up to `size` bytes of the entry's data.
  Result<size_t> Pull(uint8_t* buf, size_t size);

  std::unique_ptr<ByteSource> source_;
  TarLimits limits_;
  struct archive* archive_ = nullptr;
  std::unique_ptr<uint8_t[]> buffer_;
  Status source_error_;  // an error from the source, which beats libarchive's own message
  Status error_;
  uint64_t entries_ = 0;
  uint64_t bytes_read_ = 0;  // from the source, for telling a clean end from a cut
  bool source_eof_ = false;
  bool finished_ = false;
  bool data_pending_ = false;  // the current entry has unread data
  uint64_t entry_size_ = 0;
  uint64_t entry_pos_ = 0;  // data bytes handed out for the current entry
  const uint8_t* block_ = nullptr;
  size_t block_size_ = 0;
  size_t block_pos_ = 0;
  uint64_t block_offset_ = 0;  // entry offset of block_[block_pos_]
};

}  // namespace bulkhead::archive
