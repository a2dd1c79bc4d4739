#include "bulkhead/archive/tar_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bulkhead::archive {
namespace {
constexpr size_t kReadBufferBytes = 256 * 1024;
}

TarReader::TarReader(std::unique_ptr<ByteSource> source, const TarLimits& limits)
    : source_(std::move(source)),
      limits_(limits),
      archive_(archive_read_new()),
      buffer_(new uint8_t[kReadBufferBytes]) {}

TarReader::~TarReader() {
  if (archive_) archive_read_free(archive_);
}

Result<std::unique_ptr<TarReader>> TarReader::Open(std::unique_ptr<ByteSource> source,
                                                   const TarLimits& limits) {
  std::unique_ptr<TarReader> r(new TarReader(std::move(source), limits));
  if (!r->archive_) return Status::Internal("libarchive: out of memory");
  archive_read_support_format_tar(r->archive_);
  if (archive_read_open2(r->archive_, r.get(), nullptr, &TarReader::ReadCallback, nullptr,
                         nullptr) != ARCHIVE_OK) {
    // An empty stream is an archive without entries (as Go's archive/tar reads it).
    if (r->source_error_.ok() && r->source_eof_ && r->bytes_read_ == 0) {
      r->finished_ = true;
      return r;
    }
    return r->ArchiveError("cannot start reading tar");
  }
  return r;
}

long TarReader::ReadCallback(struct archive* a, void* self_ptr, const void** buf) {  // NOLINT
  auto* self = static_cast<TarReader*>(self_ptr);
  Result<size_t> n = self->source_->Read(self->buffer_.get(), kReadBufferBytes);
  if (!n.ok()) {
    self->source_error_ = n.error();
    archive_set_error(a, EIO, "%s", "source read failed");
    return -1;
  }
  if (*n == 0) self->source_eof_ = true;
  self->bytes_read_ += *n;
  *buf = self->buffer_.get();
  return static_cast<long>(*n);  // NOLINT
}

Status TarReader::Fail(Status s) {
  if (error_.ok()) error_ = std::move(s);
  return error_;
}

Status TarReader::ArchiveError(const char* what) {
  if (!source_error_.ok()) return Fail(source_error_);
  const char* msg = archive_error_string(archive_);
  return Fail(Status::Corruption(source_->name() + ": " + what + " after entry " +
                                 std::to_string(entries_) + ": " +
                                 (msg ? msg : "unknown libarchive error")));
}

Status TarReader::DrainSource() {
  while (!source_eof_) {
    Result<size_t> n = source_->Read(buffer_.get(), kReadBufferBytes);
    if (!n.ok()) return Fail(n.error());
    if (*n == 0) source_eof_ = true;
  }
  return Status::OK();
}

Result<bool> TarReader::Next(TarEntry* out) {
  if (!error_.ok()) return error_;
  if (finished_) return false;
  // Read the rest of the current entry ourselves, so that a cut in its data is an error
  // while a stream that stops right after complete data is recognised below.
  // Skipped bytes are not copied anywhere: buffer_ still holds input libarchive has not
  // consumed, and its blocks may point into it.
  while (data_pending_) {
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, Pull(nullptr, SIZE_MAX));
    (void)n;
  }
  // Where the previous entry ends (its data and padding are consumed by now).
  const uint64_t entry_end = static_cast<uint64_t>(archive_filter_bytes(archive_, 0));
  struct archive_entry* e = nullptr;
  int rc = archive_read_next_header(archive_, &e);
  if (rc == ARCHIVE_EOF) {
    finished_ = true;
    BULKHEAD_RETURN_IF_ERROR(DrainSource());
    return false;
  }
  if (rc == ARCHIVE_FATAL && source_error_.ok() && source_eof_ && bytes_read_ == entry_end) {
    // The stream ended exactly where a header should start: a tar without its trailer.
    // A stream that ends inside a header, or after a pax header without the header it
    // belongs to, is a cut archive and stays an error.
    finished_ = true;
    return false;
  }
  // ARCHIVE_RETRY is a damaged header (bad checksum) that libarchive would skip.
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return ArchiveError("bad tar header");
  if (++entries_ > limits_.max_entries) {
    return Fail(Status::ResourceExhausted(source_->name() + ": more than " +
                                          std::to_string(limits_.max_entries) +
                                          " tar entries (limit --max-entries)"));
  }
  const char* path = archive_entry_pathname(e);
  out->path = path ? path : "";
  if (out->path.size() > limits_.max_path_bytes) {
    return Fail(Status::ResourceExhausted(source_->name() + ": entry " + std::to_string(entries_) +
                                          " has a path of " + std::to_string(out->path.size()) +
                                          " bytes (limit --max-path-bytes " +
                                          std::to_string(limits_.max_path_bytes) + ")"));
  }
  out->mode = static_cast<uint32_t>(archive_entry_perm(e)) & 07777;
  out->uid = static_cast<uint64_t>(archive_entry_uid(e));
  out->gid = static_cast<uint64_t>(archive_entry_gid(e));
  out->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                  ? static_cast<uint64_t>(archive_entry_size(e))
                  : 0;
  out->link_target.clear();
  data_pending_ = out->size > 0;
  entry_size_ = out->size;
  entry_pos_ = 0;
  block_ = nullptr;
  block_size_ = block_pos_ = 0;
  const char* hardlink = archive_entry_hardlink(e);
  if (hardlink) {
    out->type = EntryType::kHardlink;
    out->link_target = hardlink;
    return true;
  }
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      out->type = EntryType::kFile;
      break;
    case AE_IFDIR:
      out->type = EntryType::kDirectory;
      break;
    case AE_IFLNK: {
      out->type = EntryType::kSymlink;
      const char* target = archive_entry_symlink(e);
      out->link_target = target ? target : "";
      break;
    }
    default:
      out->type = EntryType::kOther;
  }
  return true;
}

Result<size_t> TarReader::ReadData(uint8_t* buf, size_t size) { return Pull(buf, size); }

Result<size_t> TarReader::Pull(uint8_t* buf, size_t size) {
  if (!error_.ok()) return error_;
  // Blocks come straight from libarchive (no copy on its side); sparse holes are zeros.
  while (data_pending_ && size > 0) {
    if (block_pos_ < block_size_) {
      if (block_offset_ > entry_pos_) {  // a hole before this block
        size_t n = static_cast<size_t>(std::min<uint64_t>(size, block_offset_ - entry_pos_));
        if (buf) std::memset(buf, 0, n);
        entry_pos_ += n;
        return n;
      }
      size_t n = std::min(size, block_size_ - block_pos_);
      if (buf) std::memcpy(buf, block_ + block_pos_, n);
      block_pos_ += n;
      block_offset_ += n;
      entry_pos_ += n;
      return n;
    }
    const void* block = nullptr;
    size_t block_size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(archive_, &block, &block_size, &offset);
    if (rc == ARCHIVE_EOF) {
      if (entry_pos_ < entry_size_) {  // a hole at the end
        size_t n = static_cast<size_t>(std::min<uint64_t>(size, entry_size_ - entry_pos_));
        if (buf) std::memset(buf, 0, n);
        entry_pos_ += n;
        return n;
      }
      data_pending_ = false;
      break;
    }
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      // libarchive consumes the padding after the last data byte as part of the read; a
      // stream that simply ends there (umoci) has complete data and no trailer.
      const char* msg = archive_error_string(archive_);
      if (entry_pos_ >= entry_size_ && source_eof_ && source_error_.ok() && msg &&
          std::string_view(msg).find("runcated") != std::string_view::npos) {
        data_pending_ = false;
        finished_ = true;
        break;
      }
      return ArchiveError("cannot read entry data");
    }
    if (offset < 0 || static_cast<uint64_t>(offset) < entry_pos_) {
      return Fail(Status::Corruption(source_->name() + ": entry " + std::to_string(entries_) +
                                     " has overlapping sparse data"));
    }
    block_ = static_cast<const uint8_t*>(block);
    block_size_ = block_size;
    block_pos_ = 0;
    block_offset_ = static_cast<uint64_t>(offset);
  }
  return size_t{0};
}

}  // namespace bulkhead::archive
