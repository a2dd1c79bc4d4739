// Shared helpers for bulkhead's tests: temporary directories, in-memory tar and gzip
// builders, and the location of the shared conformance data.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead::testing {

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes `content` to `path()/relative`, creating parent directories.
  std::string WriteFile(std::string_view relative, std::string_view content) const;

 private:
  std::string path_;
};

/// One entry of a tar built by MakeTar.
struct TarSpec {
  enum Type { kFile, kDir, kSymlink, kHardlink };
  std::string path;
  std::string content;  ///< File data, or the link target.
  Type type = kFile;
  uint32_t mode = 0644;
};

/// A tar archive holding `entries`, in order, with the end-of-archive blocks, in
/// libarchive's `archive_format` (default: restricted pax, 0x30003).
std::string MakeTar(const std::vector<TarSpec>& entries, int archive_format = 0x30003);
/// gzip (zlib) and zstd compression of `data`.
/// `n` bytes from a seeded generator: data that does not compress, the same every run.
std::string RandomBytes(size_t n, uint32_t seed);
/// `n` bytes of numbered lines: text that compresses well, for a mix of deflate blocks.
std::string CompressibleText(size_t n);
/// zlib's deflate of `data` as one stream: `window_bits` -15 for raw deflate (as in zips),
/// 16 + 15 for gzip, with `header` as its gzip header when given.
std::string Deflate(std::string_view data, int window_bits, int level = 6,
                    gz_header* header = nullptr);
std::string Gzip(std::string_view data);
std::string Zstd(std::string_view data);

std::string ReadFileOrDie(const std::string& path);

/// Runs `command` with /bin/sh and returns its standard output; `*exit_status` is its exit
/// code, or -1 when it could not run or was killed.
std::string RunCommand(const std::string& command, int* exit_status);

/// Whether `name` is a command on PATH.
bool HaveCommand(const std::string& name);

/// `s` quoted for /bin/sh.
std::string ShellQuote(const std::string& s);

/// The shared conformance data folder ("../shared/data"), or "" when it is absent; tests
/// that need it call GTEST_SKIP() with a message saying so.
std::string SharedDataDir();

}  // namespace bulkhead::testing

/// Skips the current test when the shared conformance data is not there.
#define BULKHEAD_REQUIRE_SHARED_DATA()                                                    \
  do {                                                                                    \
    if (::bulkhead::testing::SharedDataDir().empty())                                     \
      GTEST_SKIP() << "../shared/data not found: conformance data is not available here"; \
  } while (0)
