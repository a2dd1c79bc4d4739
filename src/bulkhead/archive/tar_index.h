// TarIndex: random access to the members of an image archive (oci-archive,
// docker-archive), so that layers can be read in parallel straight from the archive
// without extracting it.
//
// Written by hand rather than with libarchive because libarchive exposes no data offsets
// for entries, and random access needs exactly those. It reads only headers (ustar, pax
// path/linkpath/size records, GNU long names), checks header checksums, and bounds every
// size and count. A gzip- or zstd-compressed archive is first inflated once into an
// unlinked temporary file.
//
// Thread-safe after Open(): members are read with pread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/decompress.h"

namespace bulkhead::archive {

struct TarIndexLimits {
  uint64_t max_members = 100'000;
  uint64_t max_pax_header_bytes = 1 << 20;
  /// Cap on the inflated size of a compressed archive.
  uint64_t max_inflated_bytes = uint64_t{64} << 30;
};

class TarIndex {
 public:
  struct Member {
    uint64_t offset = 0;  ///< Of the data, in the (inflated) archive file.
    uint64_t size = 0;
    char type = '0';          ///< '0' file, '1' hardlink, '2' symlink, '5' directory...
    std::string link_target;  ///< Canonical path for hardlinks, raw target for symlinks.
  };

  /// Indexes the archive at `path`. Corruption when it is not a tar.
  static Result<std::unique_ptr<TarIndex>> Open(const std::string& path,
                                                const TarIndexLimits& limits);

  /// The canonical paths of regular-file members, sorted.
  std::vector<std::string> FilePaths() const;
  /// True when `path` (any form) names a member, following links.
  bool Contains(std::string_view path) const;
  /// Opens the data of `path`, following symlinks and hardlinks inside the archive
  /// (at most 40 hops). NotFound when there is no such regular file.
  Result<std::unique_ptr<ByteSource>> OpenMember(std::string_view path) const;
  /// Reads a whole member, failing with ResourceExhausted past `max_bytes`.
  Result<std::string> ReadMember(std::string_view path, uint64_t max_bytes) const;
  /// The archive's path as given to Open().
  const std::string& name() const { return name_; }
  Compression compression() const { return compression_; }

 private:
  TarIndex() = default;
  Status Build(const TarIndexLimits& limits);
  Result<const Member*> Resolve(std::string_view path, std::string* canonical) const;

  std::string name_;
  std::shared_ptr<SharedFile> file_;
  std::map<std::string, Member, std::less<>> members_;
  Compression compression_ = Compression::kNone;
};

}  // namespace bulkhead::archive
