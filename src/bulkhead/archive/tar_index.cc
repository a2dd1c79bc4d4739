#include "bulkhead/archive/tar_index.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstring>

#include "bulkhead/core/path.h"

namespace bulkhead::archive {
namespace {

constexpr size_t kBlock = 512;
constexpr int kMaxLinkHops = 40;

// Parses a numeric header field: octal text, or GNU base-256 when the high bit is set.
bool ParseNumber(const char* field, size_t len, uint64_t* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(field);
  if (len > 0 && (p[0] & 0x80)) {
    uint64_t v = p[0] & 0x3f;
    for (size_t i = 1; i < len; ++i) {
      if (v >> 56) return false;
      v = (v << 8) | p[i];
    }
    *out = v;
    return true;
  }
  uint64_t v = 0;
  size_t i = 0;
  while (i < len && (field[i] == ' ' || field[i] == '\0')) ++i;
  bool any = false;
  for (; i < len && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (v >> 60) return false;
    v = v * 8 + static_cast<uint64_t>(field[i] - '0');
    any = true;
  }
  for (; i < len; ++i) {
    if (field[i] != ' ' && field[i] != '\0') return false;
  }
  *out = any ? v : 0;
  return true;
}

std::string FieldString(const char* field, size_t len) {
  return std::string(field, strnlen(field, len));
}

bool ChecksumOk(const unsigned char* h) {
  uint64_t want;
  if (!ParseNumber(reinterpret_cast<const char*>(h) + 148, 8, &want)) return false;
  uint64_t sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == want;
}

// Applies "LEN key=value\n" pax records for path, linkpath and size.
Status ApplyPax(std::string_view data, std::string* path, std::string* link, uint64_t* size,
                bool* has_size) {
  while (!data.empty()) {
    size_t sp = data.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp > 20) {
      return Status::Corruption("malformed pax record");
    }
    uint64_t len = 0;
    for (char c : data.substr(0, sp)) {
      if (c < '0' || c > '9') return Status::Corruption("malformed pax record length");
      len = len * 10 + static_cast<uint64_t>(c - '0');
    }
    if (len <= sp + 1 || len > data.size() || data[len - 1] != '\n') {
      return Status::Corruption("malformed pax record length");
    }
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    size_t eq = rec.find('=');
    if (eq != std::string_view::npos) {
      std::string_view key = rec.substr(0, eq), value = rec.substr(eq + 1);
      if (key == "path") *path = std::string(value);
      if (key == "linkpath") *link = std::string(value);
      if (key == "size") {
        uint64_t v = 0;
        for (char c : value) {
          if (c < '0' || c > '9' || (v >> 59)) return Status::Corruption("bad pax size");
          v = v * 10 + static_cast<uint64_t>(c - '0');
        }
        *size = v;
        *has_size = true;
      }
    }
    data.remove_prefix(len);
  }
  return Status::OK();
}

Status PreadExact(int fd, void* buf, size_t n, uint64_t off, const std::string& name) {
  auto* p = static_cast<uint8_t*>(buf);
  while (n > 0) {
    ssize_t r = pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return Status::IOError(name + ": read failed: " + std::strerror(errno));
    if (r == 0) return Status::Corruption(name + ": truncated tar archive");
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return Status::OK();
}

// Inflates a compressed archive into an unlinked temporary file.
Result<std::shared_ptr<SharedFile>> InflateToTemp(std::shared_ptr<SharedFile> file,
                                                  const TarIndexLimits& limits,
                                                  Compression* compression) {
  DecompressOptions opts;
  opts.max_output_bytes = limits.max_inflated_bytes;
  BULKHEAD_ASSIGN_OR_RETURN(
      auto src,
      OpenDecompressed(OpenFileRange(file, 0, file->size(), file->path()), opts, compression));
  if (*compression == Compression::kNone) return file;
  const char* tmpdir = getenv("TMPDIR");
  std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/bulkhead-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Status::IOError("cannot create a temporary file in " + tmpl);
  unlink(tmpl.c_str());
  std::vector<uint8_t> buf(1 << 20);
  for (;;) {
    Result<size_t> n = src->Read(buf.data(), buf.size());
    if (!n.ok()) {
      close(fd);
      return n.error();
    }
    if (*n == 0) break;
    size_t done = 0;
    while (done < *n) {
      ssize_t w = write(fd, buf.data() + done, *n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) {
        close(fd);
        return Status::IOError("cannot write a temporary file: " + std::string(strerror(errno)));
      }
      done += static_cast<size_t>(w);
    }
  }
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  Result<std::shared_ptr<SharedFile>> inflated = SharedFile::Open(proc);
  close(fd);
  if (!inflated.ok()) return inflated.error();
  return inflated;
}

}  // namespace

Result<std::unique_ptr<TarIndex>> TarIndex::Open(const std::string& path,
                                                 const TarIndexLimits& limits) {
  std::unique_ptr<TarIndex> index(new TarIndex());
  index->name_ = path;
  BULKHEAD_ASSIGN_OR_RETURN(auto file, SharedFile::Open(path));
  BULKHEAD_ASSIGN_OR_RETURN(index->file_, InflateToTemp(file, limits, &index->compression_));
  BULKHEAD_RETURN_IF_ERROR(index->Build(limits));
  return index;
}

Status TarIndex::Build(const TarIndexLimits& limits) {
  const int fd = file_->fd();
  const uint64_t end = file_->size();
  uint64_t off = 0;
  std::string next_path, next_link;
  uint64_t next_size = 0;
  bool has_next_size = false;
  unsigned char h[kBlock];
  uint64_t headers = 0;
  while (off + kBlock <= end) {
    BULKHEAD_RETURN_IF_ERROR(PreadExact(fd, h, kBlock, off, name_));
    bool zero = true;
    for (unsigned char c : h) zero = zero && c == 0;
    if (zero) break;  // end-of-archive marker
    if (!ChecksumOk(h)) {
      return Status::Corruption(name_ + ": not a tar archive (bad header checksum at offset " +
                                std::to_string(off) + ")");
    }
    if (++headers > limits.max_members * 4) {
      return Status::ResourceExhausted(name_ + ": more than " + std::to_string(limits.max_members) +
                                       " members");
    }
    uint64_t size;
    if (!ParseNumber(reinterpret_cast<char*>(h) + 124, 12, &size)) {
      return Status::Corruption(name_ + ": bad size field at offset " + std::to_string(off));
    }
    const char type = static_cast<char>(h[156]);
    const bool extended = type == 'x' || type == 'L' || type == 'K' || type == 'g';
    if (has_next_size && !extended) size = next_size;  // pax size is for the next member
    const uint64_t data = off + kBlock;
    if (size > end || data > end - size) {
      return Status::Corruption(name_ + ": member at offset " + std::to_string(off) +
                                " runs past the end of the archive");
    }
    const uint64_t next = data + ((size + kBlock - 1) / kBlock) * kBlock;
    if (extended) {
      if (size > limits.max_pax_header_bytes) {
        return Status::ResourceExhausted(name_ + ": extended header of " + std::to_string(size) +
                                         " bytes");
      }
      std::string body(size, '\0');
      BULKHEAD_RETURN_IF_ERROR(PreadExact(fd, body.data(), size, data, name_));
      if (type == 'x') {
        Status s = ApplyPax(body, &next_path, &next_link, &next_size, &has_next_size);
        if (!s.ok()) return s.WithContext(name_);
      } else if (type == 'L') {
        next_path = body.c_str();
      } else if (type == 'K') {
        next_link = body.c_str();
      }
      off = next;
      continue;
    }
    std::string name = next_path;
    if (name.empty()) {
      name = FieldString(reinterpret_cast<char*>(h), 100);
      std::string prefix = FieldString(reinterpret_cast<char*>(h) + 345, 155);
      // Only POSIX ustar ("ustar\0") has a name prefix; GNU headers ("ustar  \0") keep
      // atime and ctime there.
      if (std::memcmp(h + 257, "ustar\0", 6) == 0 && !prefix.empty()) name = prefix + "/" + name;
    }
    std::string link =
        next_link.empty() ? FieldString(reinterpret_cast<char*>(h) + 157, 100) : next_link;
    next_path.clear();
    next_link.clear();
    has_next_size = false;
    if (members_.size() >= limits.max_members) {
      return Status::ResourceExhausted(name_ + ": more than " + std::to_string(limits.max_members) +
                                       " members");
    }
    Member m;
    m.offset = data;
    m.size = (type == '0' || type == '\0' || type == '7') ? size : 0;
    m.type = (type == '\0' || type == '7') ? '0' : type;
    m.link_target = (type == '1') ? CanonicalizePath(link).path : link;
    members_[CanonicalizePath(name).path] = std::move(m);
    off = next;
  }
  if (members_.empty()) return Status::Corruption(name_ + ": not a tar archive (no members)");
  return Status::OK();
}

Result<const TarIndex::Member*> TarIndex::Resolve(std::string_view path,
                                                  std::string* canonical) const {
  std::string p = CanonicalizePath(path).path;
  // Links are followed component by component, so that a symlink to a directory counts
  // too; ".." in targets stops at the archive root.
  for (int hops = 0;;) {
    bool changed = false;
    for (size_t pos = 1; pos <= p.size();) {
      size_t slash = p.find('/', pos);
      if (slash == std::string::npos) slash = p.size();
      std::string_view prefix(p.data(), slash);
      auto it = members_.find(prefix);
      if (it != members_.end() && (it->second.type == '1' || it->second.type == '2')) {
        if (++hops > kMaxLinkHops) {
          return Status::Corruption(name_ + ": too many levels of links at " + std::string(path));
        }
        std::string target = it->second.type == '2'
                                 ? ResolveLinkTarget(prefix, it->second.link_target).path
                                 : it->second.link_target;
        p = CanonicalizePath(target + p.substr(slash)).path;
        changed = true;
        break;
      }
      pos = slash + 1;
    }
    if (!changed) break;
  }
  auto it = members_.find(p);
  if (it == members_.end()) return Status::NotFound(name_ + ": no member " + p);
  if (canonical) *canonical = p;
  return &it->second;
}

std::vector<std::string> TarIndex::FilePaths() const {
  std::vector<std::string> out;
  for (const auto& [path, m] : members_) {
    if (m.type == '0') out.push_back(path);
  }
  return out;
}

bool TarIndex::Contains(std::string_view path) const { return Resolve(path, nullptr).ok(); }

Result<std::unique_ptr<ByteSource>> TarIndex::OpenMember(std::string_view path) const {
  std::string canonical;
  BULKHEAD_ASSIGN_OR_RETURN(const Member* m, Resolve(path, &canonical));
  if (m->type != '0') return Status::NotFound(name_ + ": " + canonical + " is not a file");
  return OpenFileRange(file_, m->offset, m->size, name_ + ":" + canonical);
}

Result<std::string> TarIndex::ReadMember(std::string_view path, uint64_t max_bytes) const {
  BULKHEAD_ASSIGN_OR_RETURN(auto src, OpenMember(path));
  return ReadAll(*src, max_bytes);
}

}  // namespace bulkhead::archive
