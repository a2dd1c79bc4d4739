// The bytes kept of a file that streamed past: disjoint runs at known offsets, or the
// whole file borrowed. Lets a reduction keep a few regions of a big executable instead of
// all of it. Module-private. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulkhead::pkg::internal {

class SparseFile {
 public:
  /// An empty file of `size` bytes (as declared), to be filled with Keep().
  explicit SparseFile(uint64_t size) : size_(size) {}
  /// The whole of `content`, borrowed: it must outlive this object.
  static SparseFile Whole(std::string_view content);

  /// Keeps `bytes`, found at `offset`; bytes already kept are not copied again.
  void Keep(uint64_t offset, std::string_view bytes);
  /// `n` bytes at `offset` when all were kept, else an empty view. Views stay valid
  /// until the next Keep().
  std::string_view Bytes(uint64_t offset, uint64_t n) const;
  /// Every kept run, in offset order.
  std::vector<std::pair<uint64_t, std::string_view>> Runs() const;
  uint64_t size() const { return size_; }
  uint64_t kept_bytes() const { return kept_; }

 private:
  uint64_t size_ = 0;
  uint64_t kept_ = 0;
  std::string_view whole_;
  bool is_whole_ = false;
  std::map<uint64_t, std::string> runs_;  // offset -> bytes; disjoint, never adjacent
};

}  // namespace bulkhead::pkg::internal
