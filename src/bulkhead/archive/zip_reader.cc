#include "bulkhead/archive/zip_reader.h"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef BULKHEAD_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "bulkhead/core/file.h"

namespace bulkhead::archive {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr size_t kEndSize = 22;
constexpr size_t kLocalSize = 30;
constexpr size_t kCentralSize = 46;
constexpr size_t kZip64EndSize = 56;

uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t U32(const uint8_t* p) { return U16(p) | (static_cast<uint32_t>(U16(p + 2)) << 16); }
uint64_t U64(const uint8_t* p) { return U32(p) | (static_cast<uint64_t>(U32(p + 4)) << 32); }

Status ReadAt(const SharedFile& f, uint64_t offset, void* buf, size_t n) {
  auto* out = static_cast<uint8_t*>(buf);
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(f.fd(), out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Status::IOError(f.path() + ": " + std::strerror(errno));
    if (r == 0) return Status::Corruption(f.path() + ": zip cut short");
    got += static_cast<size_t>(r);
  }
  return Status::OK();
}

Status Bad(const std::string& path, const std::string& what) {
  return Status::Corruption(path + ": not a readable zip (" + what + ")");
}

// The zip64 extra field (id 1) holds, in this order, each of the four values whose
// 32-bit (or 16-bit) field is all ones.
Status ReadZip64Extra(const uint8_t* extra, size_t len, bool need_size, bool need_csize,
                      bool need_offset, ZipEntry* e, const std::string& path) {
  while (len >= 4) {
    const uint16_t id = U16(extra), size = U16(extra + 2);
    if (size > len - 4) break;
    if (id == 1) {
      const uint8_t* p = extra + 4;
      size_t left = size;
      for (auto [need, field] :
           {std::pair{need_size, &e->size}, std::pair{need_csize, &e->compressed_size},
            std::pair{need_offset, &e->local_header_offset}}) {
        if (!need) continue;
        if (left < 8) return Bad(path, "short zip64 field for " + e->name);
        *field = U64(p);
        p += 8;
        left -= 8;
      }
      return Status::OK();
    }
    extra += 4 + size;
    len -= 4 + size;
  }
  if (need_size || need_csize || need_offset) return Bad(path, "no zip64 field for " + e->name);
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<const ZipReader>> ZipReader::Open(const std::string& path,
                                                         const ZipLimits& limits) {
  BULKHEAD_ASSIGN_OR_RETURN(std::shared_ptr<SharedFile> file, SharedFile::Open(path));
  const uint64_t size = file->size();
  if (size < kEndSize) return Bad(path, "no end of central directory");
  // The end record is in the last 22 bytes plus a comment of up to 65,535.
  const size_t tail_size = static_cast<size_t>(std::min<uint64_t>(size, kEndSize + 0xffff));
  std::vector<uint8_t> tail(tail_size);
  BULKHEAD_RETURN_IF_ERROR(ReadAt(*file, size - tail_size, tail.data(), tail_size));
  size_t end = tail_size - kEndSize + 1;
  do {
    --end;
  } while (end > 0 && !(U32(&tail[end]) == kEndOfDirectory &&
                        end + kEndSize + U16(&tail[end + 20]) <= tail_size));
  if (U32(&tail[end]) != kEndOfDirectory) return Bad(path, "no end of central directory");
  const uint8_t* eocd = &tail[end];
  const uint64_t eocd_offset = size - tail_size + end;
  if (U16(eocd + 4) != 0 || U16(eocd + 6) != 0 || U16(eocd + 8) != U16(eocd + 10)) {
    return Status::Unsupported(path + ": a multi-disk zip");
  }
  uint64_t count = U16(eocd + 10), dir_size = U32(eocd + 12), dir_offset = U32(eocd + 16);
  uint64_t dir_end = eocd_offset;
  // Zip64: a locator just before the end record points to the zip64 end record. Without
  // one, all ones are real values: libarchive and Python's zipfile write a zip of exactly
  // 65,535 entries with a plain end record.
  uint8_t locator[20];
  bool zip64 = false;
  if ((count == 0xffff || dir_size == 0xffffffff || dir_offset == 0xffffffff) &&
      eocd_offset >= sizeof(locator)) {
    BULKHEAD_RETURN_IF_ERROR(ReadAt(*file, eocd_offset - 20, locator, sizeof(locator)));
    zip64 = U32(locator) == kZip64Locator;
  }
  if (zip64) {
    const uint64_t z64 = U64(locator + 8);
    if (eocd_offset < 20 + kZip64EndSize || z64 > eocd_offset - 20 - kZip64EndSize) {
      return Bad(path, "zip64 end record out of place");
    }
    uint8_t rec[kZip64EndSize];
    BULKHEAD_RETURN_IF_ERROR(ReadAt(*file, z64, rec, sizeof(rec)));
    if (U32(rec) != kZip64End) return Bad(path, "bad zip64 end record");
    if (U32(rec + 16) != 0 || U32(rec + 20) != 0 || U64(rec + 24) != U64(rec + 32)) {
      return Status::Unsupported(path + ": a multi-disk zip");
    }
    count = U64(rec + 32);
    dir_size = U64(rec + 40);
    dir_offset = U64(rec + 48);
    dir_end = z64;
  }
  if (count > limits.max_entries) {
    return Status::ResourceExhausted(path + ": more than " + std::to_string(limits.max_entries) +
                                     " entries");
  }
  if (dir_offset > dir_end || dir_size > dir_end - dir_offset) {
    return Bad(path, "central directory out of place");
  }
  if (dir_size > limits.max_directory_bytes) {
    return Status::ResourceExhausted(path + ": central directory larger than " +
                                     LimitText(limits.max_directory_bytes));
  }
  if (count > dir_size / kCentralSize) return Bad(path, "central directory too small");
  std::vector<uint8_t> dir(static_cast<size_t>(dir_size));
  BULKHEAD_RETURN_IF_ERROR(ReadAt(*file, dir_offset, dir.data(), dir.size()));

  std::shared_ptr<ZipReader> zip(new ZipReader(file));
  zip->entries_.reserve(static_cast<size_t>(count));
  size_t pos = 0;
  for (uint64_t i = 0; i < count; ++i) {
    if (dir.size() - pos < kCentralSize || U32(&dir[pos]) != kCentralHeader) {
      return Bad(path, "bad central directory entry " + std::to_string(i));
    }
    const uint8_t* h = &dir[pos];
    const size_t name_len = U16(h + 28), extra_len = U16(h + 30), comment_len = U16(h + 32);
    if (dir.size() - pos - kCentralSize < name_len + extra_len + comment_len) {
      return Bad(path, "central directory entry " + std::to_string(i) + " runs past its end");
    }
    ZipEntry e;
    e.flags = U16(h + 8);
    e.method = U16(h + 10);
    e.crc32 = U32(h + 16);
    e.compressed_size = U32(h + 20);
    e.size = U32(h + 24);
    e.local_header_offset = U32(h + 42);
    e.name.assign(reinterpret_cast<const char*>(h + kCentralSize), name_len);
    if (U16(h + 34) == 0xffff) return Status::Unsupported(path + ": a multi-disk zip");
    BULKHEAD_RETURN_IF_ERROR(ReadZip64Extra(h + kCentralSize + name_len, extra_len,
                                            e.size == 0xffffffff, e.compressed_size == 0xffffffff,
                                            e.local_header_offset == 0xffffffff, &e, path));
    pos += kCentralSize + name_len + extra_len + comment_len;
    zip->entries_.push_back(std::move(e));
  }
  // Entries must not overlap: each one's local header and data end before the next one
  // starts (the overlapping-entries bomb makes thousands of names share one body).
  std::vector<ZipEntry*> by_offset;
  by_offset.reserve(zip->entries_.size());
  for (ZipEntry& e : zip->entries_) by_offset.push_back(&e);
  std::sort(by_offset.begin(), by_offset.end(), [](const ZipEntry* a, const ZipEntry* b) {
    return a->local_header_offset < b->local_header_offset;
  });
  for (size_t i = 0; i < by_offset.size(); ++i) {
    ZipEntry& e = *by_offset[i];
    e.limit = i + 1 < by_offset.size() ? by_offset[i + 1]->local_header_offset : dir_offset;
    if (e.local_header_offset > e.limit || e.limit - e.local_header_offset < kLocalSize ||
        e.compressed_size > e.limit - e.local_header_offset - kLocalSize) {
      return Bad(path, "entry '" + e.name.substr(0, 200) + "' overlaps another or the directory");
    }
  }
  return std::shared_ptr<const ZipReader>(std::move(zip));
}

Result<std::string> ZipReader::Read(size_t index, uint64_t max_bytes) const {
  const ZipEntry& e = entries_.at(index);
  const std::string where = path() + ":" + e.name;
  if (e.size > max_bytes) {
    return Status::ResourceExhausted(where + ": entry larger than " + LimitText(max_bytes));
  }
  if (e.flags & 1) return Status::Unsupported(where + ": encrypted");
  if (e.method != 0 && e.method != 8) {
    return Status::Unsupported(where + ": compression method " + std::to_string(e.method) +
                               " (stored and deflate only)");
  }
  uint8_t local[kLocalSize];
  BULKHEAD_RETURN_IF_ERROR(ReadAt(*file_, e.local_header_offset, local, sizeof(local)));
  if (U32(local) != kLocalHeader) return Status::Corruption(where + ": bad local header");
  const uint64_t data = e.local_header_offset + kLocalSize + U16(local + 26) + U16(local + 28);
  if (data > e.limit || e.compressed_size > e.limit - data) {
    return Status::Corruption(where + ": entry overlaps another or the directory");
  }
  std::string out(static_cast<size_t>(e.size), '\0');
  if (e.method == 0) {
    if (e.compressed_size != e.size) return Status::Corruption(where + ": stored sizes differ");
    BULKHEAD_RETURN_IF_ERROR(ReadAt(*file_, data, out.data(), out.size()));
  } else {
    std::vector<uint8_t> in(static_cast<size_t>(e.compressed_size));
    BULKHEAD_RETURN_IF_ERROR(ReadAt(*file_, data, in.data(), in.size()));
    auto* dst = reinterpret_cast<uint8_t*>(out.data());
    bool ended = false;
    uint64_t produced = 0;
#ifdef BULKHEAD_HAVE_ISAL
    if (in.size() > UINT32_MAX || out.size() > UINT32_MAX) {
      return Status::ResourceExhausted(where + ": entry over 4 GiB");
    }
    inflate_state state;
    isal_inflate_init(&state);
    state.crc_flag = ISAL_DEFLATE;
    state.next_in = in.data();
    state.avail_in = static_cast<uint32_t>(in.size());
    // One byte of room past the declared size tells a longer stream from an exact one.
    uint8_t spare;
    state.next_out = dst;
    state.avail_out = static_cast<uint32_t>(out.size());
    int rc = isal_inflate(&state);
    produced = out.size() - state.avail_out;
    if (rc == ISAL_DECOMP_OK && state.block_state != ISAL_BLOCK_FINISH && state.avail_out == 0) {
      state.next_out = &spare;
      state.avail_out = 1;
      rc = isal_inflate(&state);
      if (state.avail_out == 0) return Status::Corruption(where + ": inflates past its size");
    }
    if (rc < 0) return Status::Corruption(where + ": corrupt deflate data");
    ended = state.block_state == ISAL_BLOCK_FINISH;
#else
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status::Internal("zlib inflateInit2");
    zs.next_in = in.data();
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = dst;
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    produced = out.size() - zs.avail_out;
    if (rc == Z_BUF_ERROR && zs.avail_out == 0 && zs.avail_in > 0) {
      uint8_t spare;
      zs.next_out = &spare;
      zs.avail_out = 1;
      rc = inflate(&zs, Z_FINISH);
      if (zs.avail_out == 0) {
        inflateEnd(&zs);
        return Status::Corruption(where + ": inflates past its size");
      }
    }
    inflateEnd(&zs);
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR) {
      return Status::Corruption(where + ": corrupt deflate data");
    }
    ended = rc == Z_STREAM_END;
#endif
    if (!ended || produced != e.size) {
      return Status::Corruption(where + ": inflates to other than its declared size");
    }
  }
  const uLong crc = crc32_z(0, reinterpret_cast<const Bytef*>(out.data()), out.size());
  if (crc != e.crc32) return Status::Corruption(where + ": CRC-32 mismatch");
  return out;
}

}  // namespace bulkhead::archive
