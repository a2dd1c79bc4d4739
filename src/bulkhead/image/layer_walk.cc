#include "bulkhead/image/layer_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "bulkhead/core/path.h"

namespace bulkhead::image {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";

class TarContent final : public ContentReader {
 public:
  explicit TarContent(archive::TarReader& r) : reader_(r) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override { return reader_.ReadData(buf, size); }

 private:
  archive::TarReader& reader_;
};

class FdContent final : public ContentReader {
 public:
  FdContent(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    ssize_t n;
    do {
      n = read(fd_, buf, size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return Status::IOError(name_ + ": read failed: " + std::strerror(errno));
    return static_cast<size_t>(n);
  }

 private:
  int fd_;
  std::string name_;
};

class NoContent final : public ContentReader {
 public:
  Result<size_t> Read(uint8_t*, size_t) override { return size_t{0}; }
};

}  // namespace

Status WalkLayer(std::unique_ptr<archive::ByteSource> stream, const archive::TarLimits& limits,
                 EntryVisitor& visitor, LayerFiles* out) {
  BULKHEAD_ASSIGN_OR_RETURN(auto reader, archive::TarReader::Open(std::move(stream), limits));
  archive::TarEntry entry;
  TarContent content(*reader);
  for (;;) {
    BULKHEAD_ASSIGN_OR_RETURN(bool more, reader->Next(&entry));
    if (!more) break;
    CanonicalPath canon = CanonicalizePath(entry.path);
    if (canon.escaped) {
      out->diagnostics.push_back({"", canon.path, "walk",
                                  "entry '" + entry.path.substr(0, 200) +
                                      "' climbs above the image root; read as " + canon.path});
    }
    std::string_view base = BaseName(canon.path);
    if (base.substr(0, kWhiteoutPrefix.size()) == kWhiteoutPrefix) {
      std::string parent(ParentPath(canon.path));
      if (base == kOpaqueMarker) {
        out->opaque_dirs.push_back(parent);
      } else if (base.substr(0, 8) != ".wh..wh.") {  // other .wh..wh. names are aufs metadata
        std::string_view name = base.substr(kWhiteoutPrefix.size());
        if (name.empty() || name == "." || name == "..") {
          // ".wh..." would delete the parent's parent (all of the image at the root).
          out->diagnostics.push_back(
              {"", canon.path, "walk",
               "whiteout '" + std::string(base) + "' names no file; ignored"});
          continue;
        }
        std::string target = parent == "/" ? "" : parent;
        target += "/";
        target += name;
        out->whiteouts.push_back(CanonicalizePath(target).path);
      }
      continue;
    }
    if (canon.path == "/") continue;  // the root directory itself
    FileMeta meta;
    meta.type = entry.type;
    meta.mode = entry.mode;
    meta.uid = entry.uid;
    meta.gid = entry.gid;
    meta.size = entry.size;
    if (entry.type == EntryType::kHardlink) {
      meta.link_target = CanonicalizePath(entry.link_target).path;
    } else {
      meta.link_target = std::move(entry.link_target);
    }
    BULKHEAD_RETURN_IF_ERROR(visitor.OnEntry(canon.path, meta, content));
    out->entries.push_back({std::move(canon.path), std::move(meta)});
  }
  return Status::OK();
}

namespace {

struct RootfsWalker {
  const RootfsLimits& limits;
  EntryVisitor& visitor;
  LayerFiles* out;
  dev_t root_dev;
  std::string root;
  uint64_t entries = 0;

  Status WalkDir(int dir_fd, const std::string& canon, size_t depth) {
    if (depth > limits.max_depth) {
      out->diagnostics.push_back({"", canon, "walk",
                                  "directory tree deeper than " + std::to_string(limits.max_depth) +
                                      " levels; not descended"});
      return Status::OK();
    }
    DIR* dir = fdopendir(dir_fd);
    if (!dir) {
      close(dir_fd);
      return Status::IOError(root + canon + ": cannot read directory: " + std::strerror(errno));
    }
    std::vector<std::string> names;
    while (struct dirent* d = readdir(dir)) {
      std::string_view n = d->d_name;
      if (n != "." && n != "..") names.emplace_back(n);
    }
    std::sort(names.begin(), names.end());  // deterministic order
    Status status;
    for (const std::string& name : names) {
      status = Visit(dirfd(dir), canon == "/" ? "/" + name : canon + "/" + name, name, depth);
      if (!status.ok()) break;
    }
    closedir(dir);
    return status;
  }

  Status Visit(int parent_fd, const std::string& path, const std::string& name, size_t depth) {
    if (++entries > limits.max_entries) {
      return Status::ResourceExhausted(root + ": more than " + std::to_string(limits.max_entries) +
                                       " files (limit --max-entries)");
    }
    struct stat st;
    if (fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      out->diagnostics.push_back(
          {"", path, "walk", std::string("cannot stat: ") + std::strerror(errno)});
      return Status::OK();
    }
    FileMeta meta;
    meta.mode = st.st_mode & 07777;
    meta.uid = st.st_uid;
    meta.gid = st.st_gid;
    NoContent none;
    if (S_ISLNK(st.st_mode)) {
      meta.type = EntryType::kSymlink;
      std::string target(4096, '\0');
      ssize_t n = readlinkat(parent_fd, name.c_str(), target.data(), target.size());
      target.resize(n > 0 ? static_cast<size_t>(n) : 0);
      meta.link_target = std::move(target);
      BULKHEAD_RETURN_IF_ERROR(visitor.OnEntry(path, meta, none));
    } else if (S_ISDIR(st.st_mode)) {
      meta.type = EntryType::kDirectory;
      BULKHEAD_RETURN_IF_ERROR(visitor.OnEntry(path, meta, none));
      out->entries.push_back({path, meta});
      if (st.st_dev != root_dev) return Status::OK();  // another file system
      int fd = openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        out->diagnostics.push_back(
            {"", path, "walk", std::string("cannot open directory: ") + std::strerror(errno)});
        return Status::OK();
      }
      return WalkDir(fd, path, depth + 1);
    } else if (S_ISREG(st.st_mode)) {
      meta.type = EntryType::kFile;
      meta.size = static_cast<uint64_t>(st.st_size);
      int fd = openat(parent_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
      if (fd < 0) {
        out->diagnostics.push_back(
            {"", path, "walk", std::string("cannot open: ") + std::strerror(errno)});
        BULKHEAD_RETURN_IF_ERROR(visitor.OnEntry(path, meta, none));
      } else {
        FdContent content(fd, root + path);
        Status s = visitor.OnEntry(path, meta, content);
        close(fd);
        BULKHEAD_RETURN_IF_ERROR(s);
      }
    } else {
      meta.type = EntryType::kOther;
      BULKHEAD_RETURN_IF_ERROR(visitor.OnEntry(path, meta, none));
    }
    if (meta.type != EntryType::kDirectory) out->entries.push_back({path, std::move(meta)});
    return Status::OK();
  }
};

}  // namespace

Status WalkRootfs(const std::string& root, const RootfsLimits& limits, EntryVisitor& visitor,
                  LayerFiles* out) {
  int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(root + ": no such directory");
    return Status::IOError(root + ": cannot open directory: " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return Status::IOError(root + ": cannot stat: " + std::strerror(errno));
  }
  RootfsWalker walker{limits, visitor, out, st.st_dev, root};
  return walker.WalkDir(fd, "/", 0);
}

}  // namespace bulkhead::image
