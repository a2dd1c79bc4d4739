#include "bulkhead/archive/byte_source.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "bulkhead/core/sha256.h"

namespace bulkhead::archive {
namespace {

std::string Errno() { return std::strerror(errno); }

class FileRangeSource final : public ByteSource {
 public:
  FileRangeSource(std::shared_ptr<SharedFile> file, uint64_t offset, uint64_t length,
                  std::string name)
      : file_(std::move(file)), pos_(offset), end_(offset + length), name_(std::move(name)) {}

  Result<size_t> Read(uint8_t* buf, size_t size) override {
    if (!error_.ok()) return error_;
    size_t want = static_cast<size_t>(std::min<uint64_t>(size, end_ - pos_));
    if (want == 0) return size_t{0};
    ssize_t n;
    do {
      n = pread(file_->fd(), buf, want, static_cast<off_t>(pos_));
    } while (n < 0 && errno == EINTR);
    if (n < 0) return error_ = Status::IOError(name_ + ": read failed: " + Errno());
    if (n == 0) {
      return error_ = Status::Corruption(name_ + ": file ends before the expected " +
                                         std::to_string(end_ - pos_) + " more bytes");
    }
    pos_ += static_cast<uint64_t>(n);
    return static_cast<size_t>(n);
  }
  const std::string& name() const override { return name_; }

 private:
  std::shared_ptr<SharedFile> file_;
  uint64_t pos_;
  uint64_t end_;
  std::string name_;
  Status error_;
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string data, std::string name)
      : data_(std::move(data)), name_(std::move(name)) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    size_t n = std::min(size, data_.size() - pos_);
    if (n) std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t pos_ = 0;
  std::string name_;
};

class DigestSource final : public ByteSource {
 public:
  DigestSource(std::unique_ptr<ByteSource> inner, std::string expected, int64_t expected_size,
               std::string* out)
      : inner_(std::move(inner)),
        expected_(std::move(expected)),
        expected_size_(expected_size),
        out_(out) {}

  Result<size_t> Read(uint8_t* buf, size_t size) override {
    if (!error_.ok()) return error_;
    if (done_) return size_t{0};
    Result<size_t> n = inner_->Read(buf, size);
    if (!n.ok()) return error_ = n.error();
    total_ += *n;
    if (expected_size_ >= 0 && total_ > static_cast<uint64_t>(expected_size_)) {
      return error_ =
                 Status::Corruption(name() + ": larger than the " + std::to_string(expected_size_) +
                                    " bytes its descriptor declares");
    }
    if (*n > 0) {
      hash_.Update(buf, *n);
      return n;
    }
    done_ = true;
    std::string got = hash_.FinishDigest();
    if (out_) *out_ = got;
    if (expected_size_ >= 0 && total_ != static_cast<uint64_t>(expected_size_)) {
      return error_ = Status::Corruption(name() + ": size is " + std::to_string(total_) +
                                         " bytes, its descriptor declares " +
                                         std::to_string(expected_size_));
    }
    if (!expected_.empty() && got != expected_) {
      return error_ = Status::Corruption(name() + ": digest mismatch: content hashes to " + got +
                                         ", expected " + expected_);
    }
    return size_t{0};
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string expected_;
  int64_t expected_size_;
  std::string* out_;
  Sha256 hash_;
  uint64_t total_ = 0;
  bool done_ = false;
  Status error_;
};

}  // namespace

Result<std::shared_ptr<SharedFile>> SharedFile::Open(const std::string& path) {
  int fd;
  do {
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IOError(path + ": cannot open: " + Errno());
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string err = Errno();
    close(fd);
    return Status::IOError(path + ": cannot stat: " + err);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  return std::shared_ptr<SharedFile>(new SharedFile(fd, static_cast<uint64_t>(st.st_size), path));
}

SharedFile::~SharedFile() { close(fd_); }

std::unique_ptr<ByteSource> OpenFileRange(std::shared_ptr<SharedFile> file, uint64_t offset,
                                          uint64_t length, std::string name) {
  return std::make_unique<FileRangeSource>(std::move(file), offset, length, std::move(name));
}

std::unique_ptr<ByteSource> OpenMemory(std::string data, std::string name) {
  return std::make_unique<MemorySource>(std::move(data), std::move(name));
}

std::unique_ptr<ByteSource> VerifyDigest(std::unique_ptr<ByteSource> inner,
                                         std::string expected_digest, int64_t expected_size) {
  return std::make_unique<DigestSource>(std::move(inner), std::move(expected_digest), expected_size,
                                        nullptr);
}

std::unique_ptr<ByteSource> ComputeDigest(std::unique_ptr<ByteSource> inner,
                                          std::string* digest_out) {
  return std::make_unique<DigestSource>(std::move(inner), "", -1, digest_out);
}

Result<std::string> ReadAll(ByteSource& source, uint64_t max_bytes) {
  std::string out;
  for (;;) {
    size_t old = out.size();
    size_t chunk = std::max<size_t>(64 * 1024, old / 2);
    out.resize(old + chunk);
    Result<size_t> n = source.Read(reinterpret_cast<uint8_t*>(out.data()) + old, chunk);
    if (!n.ok()) return n.error();
    out.resize(old + *n);
    if (*n == 0) return out;
    if (out.size() > max_bytes) {
      return Status::ResourceExhausted(source.name() + ": larger than the limit of " +
                                       std::to_string(max_bytes) + " bytes");
    }
  }
}

}  // namespace bulkhead::archive
