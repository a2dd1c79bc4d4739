// ByteSource: a pull stream of bytes, the seam between files, blobs inside archives,
// decompressors and the tar reader. Every layer byte flows through one chain of these,
// once.
//
// Not thread-safe: one reader at a time. Sources own the sources they wrap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::archive {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes into `buf`. Returns 0 only at the end of the stream.
  /// A failed read is sticky: later calls fail too.
  virtual Result<size_t> Read(uint8_t* buf, size_t size) = 0;
  /// A name for error messages, e.g. "blob sha256:ab12...".
  virtual const std::string& name() const = 0;
};

/// A file descriptor shared by several range sources. Thread-safe: reads use pread.
class SharedFile {
 public:
  /// Opens `path` read-only. NotFound when it does not exist.
  static Result<std::shared_ptr<SharedFile>> Open(const std::string& path);
  ~SharedFile();
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  SharedFile(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  int fd_;
  uint64_t size_;
  std::string path_;
};

/// Reads bytes [offset, offset + length) of a shared file.
std::unique_ptr<ByteSource> OpenFileRange(std::shared_ptr<SharedFile> file, uint64_t offset,
                                          uint64_t length, std::string name);

/// Reads from memory owned by the source.
std::unique_ptr<ByteSource> OpenMemory(std::string data, std::string name);

/// Wraps `inner` and checks, at the end of the stream, that exactly `expected_size`
/// bytes (unless negative) hashing to `expected_digest` ("sha256:...") went through.
/// A mismatch is a Corruption error naming the source.
std::unique_ptr<ByteSource> VerifyDigest(std::unique_ptr<ByteSource> inner,
                                         std::string expected_digest, int64_t expected_size);

/// Wraps `inner`, hashing everything that passes. `*digest_out` is set to
/// "sha256:<hex>" when the end of the stream is reached. REQUIRES: digest_out outlives
/// the source.
std::unique_ptr<ByteSource> ComputeDigest(std::unique_ptr<ByteSource> inner,
                                          std::string* digest_out);

/// Reads `source` to its end into a string, failing with ResourceExhausted past
/// `max_bytes`.
Result<std::string> ReadAll(ByteSource& source, uint64_t max_bytes);

}  // namespace bulkhead::archive
