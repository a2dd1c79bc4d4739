#include "bulkhead/pkg/internal/sparse_file.h"

namespace bulkhead::pkg::internal {

SparseFile SparseFile::Whole(std::string_view content) {
  SparseFile f(content.size());
  f.whole_ = content;
  f.is_whole_ = true;
  f.kept_ = content.size();
  return f;
}

void SparseFile::Keep(uint64_t offset, std::string_view bytes) {
  if (is_whole_ || bytes.empty()) return;
  const uint64_t end = offset + bytes.size();
  uint64_t cur = offset;
  while (cur < end) {
    // The run at or before `cur`, if it covers `cur`, or the one we may extend.
    auto next = runs_.upper_bound(cur);
    if (next != runs_.begin()) {
      auto prev = std::prev(next);
      uint64_t prev_end = prev->first + prev->second.size();
      if (prev_end > cur) {  // already kept
        cur = prev_end;
        continue;
      }
      uint64_t gap_end = next == runs_.end() ? end : std::min(end, next->first);
      if (prev_end == cur) {  // extend the run before
        prev->second.append(bytes.substr(cur - offset, gap_end - cur));
        kept_ += gap_end - cur;
        cur = gap_end;
        if (next != runs_.end() && next->first == cur) {  // now touching the next run
          prev->second.append(next->second);
          runs_.erase(next);
        }
        continue;
      }
    }
    uint64_t gap_end = next == runs_.end() ? end : std::min(end, next->first);
    std::string piece(bytes.substr(cur - offset, gap_end - cur));
    kept_ += piece.size();
    if (next != runs_.end() && next->first == gap_end) {
      piece.append(next->second);
      runs_.erase(next);
    }
    runs_.emplace(cur, std::move(piece));
    cur = gap_end;
  }
}

std::string_view SparseFile::Bytes(uint64_t offset, uint64_t n) const {
  if (is_whole_) {
    if (offset > whole_.size() || n > whole_.size() - offset) return {};
    return whole_.substr(offset, n);
  }
  auto it = runs_.upper_bound(offset);
  if (it == runs_.begin()) return {};
  --it;
  uint64_t rel = offset - it->first;
  if (rel > it->second.size() || n > it->second.size() - rel) return {};
  return std::string_view(it->second).substr(rel, n);
}

std::vector<std::pair<uint64_t, std::string_view>> SparseFile::Runs() const {
  std::vector<std::pair<uint64_t, std::string_view>> out;
  if (is_whole_) {
    out.emplace_back(0, whole_);
    return out;
  }
  for (const auto& [offset, bytes] : runs_) out.emplace_back(offset, bytes);
  return out;
}

}  // namespace bulkhead::pkg::internal
