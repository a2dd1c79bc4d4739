// ScanState, part 1: the stream, the retained bytes, and hits turned into units.
#include "bulkhead/secret/internal/scan_state.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bulkhead/secret/text.h"

namespace bulkhead::secret::internal {
namespace {

// Trim the retained bytes only when this much (or half the buffer) can go, so that tiny
// chunks do not move the buffer every time.
constexpr uint64_t kTrimMinBytes = 64 * 1024;
// Vectorscan hits of one rule closer than this (and on one line) are merged.
constexpr uint64_t kMergeHitBytes = 256;

const char* MemRChr(const char* p, char c, size_t n) {
  return static_cast<const char*>(memrchr(p, c, n));
}
const char* MemChr(const char* p, char c, size_t n) {
  return static_cast<const char*>(memchr(p, c, n));
}

}  // namespace

size_t CountNewlines(const char* p, size_t n) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time: compare, subtract the -1 masks into byte counters, and fold the
  // counters with SAD before they can overflow (255 rounds).
  const __m128i newline = _mm_set1_epi8('\n');
  while (n - i >= 16) {
    const size_t stop = i + std::min<size_t>((n - i) / 16, 255) * 16;
    __m128i acc = _mm_setzero_si128();
    for (; i < stop; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, newline));
    }
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
#else
  // Eight bytes at a time: a byte of x = w ^ "\n\n..." is zero exactly where w has '\n';
  // ((x & 0x7f) + 0x7f) | x has its high bit clear only for a zero byte, without carries
  // between bytes; the multiply sums the resulting 0/1 bytes into the top byte.
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kLow7 = kOnes * 0x7F;
  constexpr uint64_t kHigh = kOnes * 0x80;
  constexpr uint64_t kNewlines = kOnes * '\n';
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    const uint64_t x = w ^ kNewlines;
    const uint64_t t = ((x & kLow7) + kLow7) | x;
    count += static_cast<size_t>((((~t & kHigh) >> 7) * kOnes) >> 56);
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

ScanState::ScanState(const Engine* engine) : engine_(engine), d_(engine->data_.get()) {}

ScanState::~ScanState() {
  if (stream_ != nullptr) hs_close_stream(stream_, nullptr, nullptr, nullptr);
}

Result<std::unique_ptr<ScanState>> ScanState::Create(const Engine& engine) {
  std::unique_ptr<ScanState> s(new ScanState(&engine));
  if (s->d_->db) {
    hs_scratch_t* scratch = nullptr;
    if (hs_clone_scratch(s->d_->proto_scratch.get(), &scratch) != HS_SUCCESS) {
      return Status::ResourceExhausted("vectorscan could not allocate scratch space");
    }
    s->hs_scratch_.reset(scratch);
    if (hs_open_stream(s->d_->db.get(), 0, &s->stream_) != HS_SUCCESS) {
      return Status::ResourceExhausted("vectorscan could not allocate stream state");
    }
  }
  s->rule_active_.assign(s->d_->rules.size(), 0);
  return s;
}

void ScanState::Begin(std::string_view path, const ScanOptions& options) {
  path_.assign(path);
  options_ = options;
  phase_ = options.scan_binary ? Phase::kScanning : Phase::kSniffing;
  finished_ = false;
  sniff_.clear();
  fed_ = 0;
  truncated_ = too_many_ = false;

  // Which allowlists match the path, and which rules are off for this file.
  auto path_state = [this](const CompiledAllowList& al) -> int8_t {
    if (al.paths.empty()) return -1;
    for (const auto& re : al.paths) {
      if (RE2::PartialMatch(path_, *re)) return 1;
    }
    return 0;
  };
  // An allowlist whose only criterion met for every match is the path turns rules off.
  auto silences = [](const CompiledAllowList& al, int8_t state) {
    if (state != 1) return false;
    return !al.require_all || (al.regexes.empty() && al.stop_words.empty());
  };
  const size_t n = d_->rules.size();
  rule_active_.assign(n, 1);
  rule_allow_path_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const CompiledRule& cr = d_->rules[i];
    if (cr.path_re && !RE2::PartialMatch(path_, *cr.path_re)) rule_active_[i] = 0;
    rule_allow_path_[i].resize(cr.allowlists.size());
    for (size_t k = 0; k < cr.allowlists.size(); ++k) {
      rule_allow_path_[i][k] = path_state(cr.allowlists[k]);
      if (silences(cr.allowlists[k], rule_allow_path_[i][k])) rule_active_[i] = 0;
    }
  }
  global_allow_path_.resize(d_->global_allowlists.size());
  for (size_t k = 0; k < d_->global_allowlists.size(); ++k) {
    const CompiledAllowList& al = d_->global_allowlists[k];
    global_allow_path_[k] = path_state(al);
    if (!silences(al, global_allow_path_[k])) continue;
    if (al.target_rules.empty()) {
      std::fill(rule_active_.begin(), rule_active_.end(), 0);
    } else {
      for (uint32_t r : al.target_rules) rule_active_[r] = 0;
    }
  }

  buf_.clear();
  buf_start_ = stream_end_ = 0;
  lines_before_buf_ = line_start_at_buf_ = 0;
  tail_line_start_ = prev_line_start_ = 0;
  gate_next_unit_ = 0;
  cursor_pos_ = cursor_lines_ = 0;
  hits_.clear();
  units_.clear();
  found_.clear();
  chunk_data_ = nullptr;
  chunk_start_ = 0;
  lower_.clear();
  lower_begin_ = lower_end_ = 0;
  if (stream_ != nullptr) hs_reset_stream(stream_, 0, nullptr, nullptr, nullptr);
}

bool ScanState::wants_more() const {
  if (finished_ || (phase_ != Phase::kSniffing && phase_ != Phase::kScanning)) return false;
  return options_.max_file_bytes == 0 || fed_ < options_.max_file_bytes;
}

Status ScanState::Feed(std::string_view chunk) {
  if (phase_ == Phase::kIdle || finished_) {
    return Status::InvalidArgument("FileScanner::Feed after Finish");
  }
  if (phase_ == Phase::kSkipped || chunk.empty()) return Status::OK();
  if (options_.max_file_bytes != 0) {
    if (fed_ >= options_.max_file_bytes) {
      truncated_ = true;
      return Status::OK();
    }
    if (chunk.size() > options_.max_file_bytes - fed_) {
      chunk = chunk.substr(0, options_.max_file_bytes - fed_);
      truncated_ = true;
    }
  }
  fed_ += chunk.size();
  if (phase_ == Phase::kSniffing) {
    sniff_.append(chunk);
    if (sniff_.size() < kBinarySniffBytes) return Status::OK();
    if (LooksBinary(sniff_)) {
      phase_ = Phase::kSkipped;
      sniff_.clear();
      return Status::OK();
    }
    phase_ = Phase::kScanning;
    std::string head;
    head.swap(sniff_);
    Status s = ScanChunk(head);
    sniff_.swap(head);
    sniff_.clear();
    return s;
  }
  return ScanChunk(chunk);
}

int ScanState::OnHsMatch(unsigned id, unsigned long long /*from*/, unsigned long long to,
                         unsigned /*flags*/, void* ctx) {
  auto* s = static_cast<ScanState*>(ctx);
  const HsTarget& t = s->d_->hs_targets[id];
  if (!s->rule_active_[t.rule]) return 0;
  if (!s->hits_.empty()) {
    // Patterns like [a-z]{8,200} end at every byte of a run: merge hits of one rule that
    // are close and on one line (no '\n' between them, checked in the current chunk).
    Hit& last = s->hits_.back();
    if (last.rule == t.rule && last.gate == t.gate && to >= last.last_end &&
        to - last.first_end <= kMergeHitBytes && last.last_end > s->chunk_start_) {
      const char* from = s->chunk_data_ + (last.last_end - 1 - s->chunk_start_);
      if (memchr(from, '\n', to - last.last_end) == nullptr) {
        last.last_end = to;
        return 0;
      }
    }
  }
  s->hits_.push_back(Hit{t.rule, t.gate, to, to});
  return 0;
}

Status ScanState::ScanChunk(std::string_view data) {
  if (data.empty()) return Status::OK();
  const uint64_t start = stream_end_;
  if (stream_ != nullptr) {
    chunk_data_ = data.data();
    chunk_start_ = start;
    const hs_error_t err = hs_scan_stream(stream_, data.data(), data.size(), 0, hs_scratch_.get(),
                                          &ScanState::OnHsMatch, this);
    if (err != HS_SUCCESS) {
      return Status::Internal("vectorscan stream scan failed (code " + std::to_string(err) +
                              ") in " + path_);
    }
  }
  stream_end_ += data.size();
  if (const char* last = MemRChr(data.data(), '\n', data.size())) {
    const size_t li = static_cast<size_t>(last - data.data());
    const char* prev = MemRChr(data.data(), '\n', li);
    prev_line_start_ =
        prev ? start + static_cast<uint64_t>(prev - data.data()) + 1 : tail_line_start_;
    tail_line_start_ = start + li + 1;
  }
  if (d_->fallback_every_line) AddGateHits(data, start);

  if (hits_.empty() && units_.empty()) {
    // Nothing to confirm: keep only what a future window may need, without copying the
    // rest of the chunk.
    const uint64_t keep = KeepFrom();
    if (keep >= start) {
      DropBefore(start);
      const size_t skip = static_cast<size_t>(keep - start);
      lines_before_buf_ += CountNewlines(data.data(), skip);
      if (const char* nl = MemRChr(data.data(), '\n', skip)) {
        line_start_at_buf_ = start + static_cast<uint64_t>(nl - data.data()) + 1;
      }
      buf_.assign(data.substr(skip));
      buf_start_ = keep;
      return Status::OK();
    }
  }
  buf_.append(data);
  ProcessReady(/*final=*/false);
  const uint64_t keep = KeepFrom();
  if (keep > buf_start_ &&
      (keep - buf_start_ >= kTrimMinBytes || (keep - buf_start_) * 2 >= buf_.size())) {
    DropBefore(keep);
  }
  return Status::OK();
}

void ScanState::AddGateHits(std::string_view data, uint64_t data_start) {
  // One hit at the start of every unit, so that the fallback set sees every unit.
  const uint64_t end = data_start + data.size();
  uint64_t pos = data_start;
  while (pos < end) {
    const char* nl = MemChr(data.data() + (pos - data_start), '\n', end - pos);
    const uint64_t line_last = nl ? data_start + static_cast<uint64_t>(nl - data.data()) : end - 1;
    while (gate_next_unit_ <= line_last) {
      hits_.push_back(Hit{0, true, gate_next_unit_ + 1, gate_next_unit_ + 1});
      gate_next_unit_ += kUnitBytes;
    }
    if (nl == nullptr) break;
    gate_next_unit_ = line_last + 1;
    pos = line_last + 1;
  }
}

uint64_t ScanState::LineStartOf(uint64_t pos) const {
  if (pos >= tail_line_start_) return tail_line_start_;
  const char* nl = MemRChr(buf_.data(), '\n', static_cast<size_t>(pos - buf_start_));
  return nl ? buf_start_ + static_cast<uint64_t>(nl - buf_.data()) + 1 : line_start_at_buf_;
}

uint64_t ScanState::LineNumberAt(uint64_t pos) {
  if (cursor_pos_ < buf_start_ || cursor_pos_ > stream_end_) {
    cursor_pos_ = buf_start_;
    cursor_lines_ = lines_before_buf_;
  }
  if (pos >= cursor_pos_) {
    cursor_lines_ += CountNewlines(buf_.data() + (cursor_pos_ - buf_start_), pos - cursor_pos_);
  } else {
    cursor_lines_ -= CountNewlines(buf_.data() + (pos - buf_start_), cursor_pos_ - pos);
  }
  cursor_pos_ = pos;
  return cursor_lines_ + 1;
}

void ScanState::AddHitToUnit(uint32_t rule, bool gate, uint64_t end) {
  if (end == 0 || end > stream_end_) return;
  const uint64_t q = end - 1;  // The hit's last byte.
  if (q < buf_start_) return;  // Cannot happen: windows are retained (KeepFrom).
  Unit* unit = nullptr;
  if (!units_.empty() && q >= units_.back().start) {
    Unit& back = units_.back();
    if (back.end == 0 && q < back.start + kUnitBytes) {
      // Same unit unless a '\n' lies between its start and q.
      const uint64_t from = std::max(back.searched, back.start);
      const char* nl =
          from < q ? MemChr(buf_.data() + (from - buf_start_), '\n', q - from) : nullptr;
      if (nl) {
        back.end = buf_start_ + static_cast<uint64_t>(nl - buf_.data()) + 1;
      } else {
        back.searched = std::max(back.searched, q);
      }
    }
    if (back.end == 0 ? q < back.start + kUnitBytes : q < back.end) unit = &back;
  } else {
    for (auto it = units_.rbegin(); it != units_.rend(); ++it) {
      if (q >= it->start && (it->end == 0 || q < it->end)) {
        unit = &*it;
        break;
      }
    }
  }
  if (unit == nullptr) {
    Unit u;
    u.line_start = LineStartOf(q);
    u.start = u.line_start + (q - u.line_start) / kUnitBytes * kUnitBytes;
    u.searched = u.start;
    if (!spare_rule_lists_.empty()) {
      u.rules.swap(spare_rule_lists_.back());
      spare_rule_lists_.pop_back();
    }
    if (units_.empty() || units_.back().start < u.start) {
      units_.push_back(std::move(u));
      unit = &units_.back();
    } else {
      auto at = std::upper_bound(units_.begin(), units_.end(), u.start,
                                 [](uint64_t s, const Unit& x) { return s < x.start; });
      unit = &*units_.insert(at, std::move(u));
    }
  }
  if (gate) {
    unit->gate = true;
    return;
  }
  for (RuleHit& rh : unit->rules) {
    if (rh.rule == rule) {
      rh.last_end = std::max(rh.last_end, end);
      return;
    }
  }
  unit->rules.push_back(RuleHit{rule, end});
}

void ScanState::ResolveUnitEnd(Unit* unit, bool final) {
  if (unit->end != 0) return;
  const uint64_t limit = std::min(unit->start + kUnitBytes, stream_end_);
  const uint64_t from = std::max(unit->searched, unit->start);
  if (from < limit) {
    if (const char* nl = MemChr(buf_.data() + (from - buf_start_), '\n', limit - from)) {
      unit->end = buf_start_ + static_cast<uint64_t>(nl - buf_.data()) + 1;
      return;
    }
    unit->searched = limit;
  }
  if (final || unit->start + kUnitBytes <= stream_end_) unit->end = limit;
}

void ScanState::ProcessReady(bool final) {
  if (!hits_.empty()) {
    auto by_end = [](const Hit& a, const Hit& b) { return a.first_end < b.first_end; };
    if (!std::is_sorted(hits_.begin(), hits_.end(), by_end)) {
      std::sort(hits_.begin(), hits_.end(), by_end);
    }
    for (const Hit& h : hits_) {
      AddHitToUnit(h.rule, h.gate, h.first_end);
      // A merged range is within kMergeHitBytes on one line: at most two units.
      if (h.last_end != h.first_end) AddHitToUnit(h.rule, h.gate, h.last_end);
    }
    hits_.clear();
  }
  while (!units_.empty()) {
    Unit& u = units_.front();
    ResolveUnitEnd(&u, final);
    // A hit ending at the unit's last byte may wait for one more byte (\b, $).
    if (u.end == 0 || (!final && stream_end_ < u.end + 1)) break;
    ProcessUnit(&u);
    u.rules.clear();
    spare_rule_lists_.push_back(std::move(u.rules));
    units_.pop_front();
  }
}

uint64_t ScanState::WindowLowerBound(uint64_t line_start, uint64_t unit_start) const {
  uint64_t lo = unit_start == line_start
                    ? unit_start
                    : std::max(line_start, unit_start - std::min(unit_start, kOverlapBytes));
  if (d_->any_multiline) {
    // The multi-line window looks for a line start at or after unit_start - lookback, so
    // it reads the byte before that too.
    lo = std::min(lo, unit_start > kLookbackBytes ? unit_start - kLookbackBytes - 1 : 0);
  }
  return lo;
}

uint64_t ScanState::KeepFrom() const {
  uint64_t keep = stream_end_;
  if (!units_.empty()) {
    keep = std::min(keep, WindowLowerBound(units_.front().line_start, units_.front().start));
  }
  if (stream_end_ > 0) {
    // The unit holding the last byte may still get hits.
    const uint64_t q = stream_end_ - 1;
    const uint64_t ls = q >= tail_line_start_ ? tail_line_start_ : prev_line_start_;
    keep = std::min(keep, WindowLowerBound(ls, ls + (q - ls) / kUnitBytes * kUnitBytes));
  }
  return std::max(keep, buf_start_);
}

void ScanState::DropBefore(uint64_t new_start) {
  if (new_start <= buf_start_) return;
  const size_t drop = static_cast<size_t>(new_start - buf_start_);
  lines_before_buf_ += CountNewlines(buf_.data(), drop);
  if (const char* nl = MemRChr(buf_.data(), '\n', drop)) {
    line_start_at_buf_ = buf_start_ + static_cast<uint64_t>(nl - buf_.data()) + 1;
  }
  buf_.erase(0, drop);
  buf_start_ = new_start;
}

Status ScanState::Finish(std::vector<SecretMatch>* out) {
  if (phase_ == Phase::kIdle || finished_) {
    return Status::InvalidArgument("FileScanner::Finish called twice");
  }
  Status status;
  if (phase_ == Phase::kSniffing) {
    if (LooksBinary(sniff_)) {
      phase_ = Phase::kSkipped;
    } else {
      phase_ = Phase::kScanning;
      std::string head;
      head.swap(sniff_);
      status = ScanChunk(head);
      sniff_.swap(head);
      sniff_.clear();
    }
  }
  if (phase_ == Phase::kScanning && status.ok()) {
    chunk_data_ = nullptr;  // End-of-data hits come from no chunk: never merged.
    chunk_start_ = stream_end_;
    if (stream_ != nullptr) {
      const hs_error_t err =
          hs_reset_stream(stream_, 0, hs_scratch_.get(), &ScanState::OnHsMatch, this);
      if (err != HS_SUCCESS) {
        status = Status::Internal("vectorscan end of stream failed (code " + std::to_string(err) +
                                  ") in " + path_);
      }
    }
    ProcessReady(/*final=*/true);
  }
  const bool skipped = phase_ == Phase::kSkipped;
  EmitResults(out);
  phase_ = skipped ? Phase::kSkipped : Phase::kFinished;
  finished_ = true;
  if (buf_.capacity() > (4u << 20)) std::string().swap(buf_);
  if (!status.ok()) return status;
  if (truncated_) {
    return Status::ResourceExhausted("secret scan of " + path_ + " stopped after " +
                                     std::to_string(options_.max_file_bytes) + " bytes");
  }
  if (too_many_) {
    return Status::ResourceExhausted("more than " + std::to_string(kMaxMatchesPerFile) +
                                     " secrets in " + path_ + "; only the first are reported");
  }
  return Status::OK();
}

}  // namespace bulkhead::secret::internal
