// A cache of compiled artifacts (vectorscan databases, YARA rules) on disk, so that a
// scan does not spend its first 150 ms compiling the same rules as the last one.
//
// Entries live in <CacheHome()>/compiled/<kind>-<key>, where the key is a digest of
// everything that went into the artifact (rule texts, library version, CPU features).
// Writes are atomic (a temporary file renamed into place), so concurrent scans are safe.
// A missing, unreadable or oversized entry is a miss; callers must still validate what
// they read (the libraries do: vectorscan and YARA check their own headers and CRCs), and
// fall back to compiling. BULKHEAD_NO_CACHE=1 turns the cache off.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bulkhead {

/// $XDG_CACHE_HOME/bulkhead, or $HOME/.cache/bulkhead.
std::string CacheHome();

class DiskCache {
 public:
  /// The cache under CacheHome(), or none when BULKHEAD_NO_CACHE is set to a non-empty
  /// value other than "0", or when neither XDG_CACHE_HOME nor HOME is set.
  static DiskCache Default();
  /// A cache in `dir` ("" disables it).
  explicit DiskCache(std::string dir) : dir_(std::move(dir)) {}

  bool enabled() const { return !dir_.empty(); }

  /// The entry (kind, key), or nullopt. Entries above `max_bytes` are misses.
  std::optional<std::string> Get(std::string_view kind, std::string_view key,
                                 size_t max_bytes = size_t{256} << 20) const;
  /// At most this many entries are kept; storing one more removes the oldest.
  static constexpr size_t kMaxEntries = 64;

  /// Stores the entry; failures (read-only home, full disk) are ignored: a cache is an
  /// optimisation, never a reason for a scan to fail.
  void Put(std::string_view kind, std::string_view key, std::string_view bytes) const;

 private:
  std::string Path(std::string_view kind, std::string_view key) const;
  void Trim() const;
  std::string dir_;
};

}  // namespace bulkhead
