// ScanState: the per-thread machinery behind Scratch and FileScanner. It streams a file
// through vectorscan, turns hits into content-defined windows ("units"), confirms them
// with RE2, and builds the masked results.
//
// Units. A unit is a line (its bytes plus its '\n'), or, in a line longer than
// kUnitBytes, one kUnitBytes piece of it. A vectorscan hit for rule R that ends at E
// schedules (unit holding byte E-1, R). When the unit is complete, RE2 runs R over the
// unit's window: the line without its '\n' (for a piece: from kOverlapBytes before it),
// widened for multi-line rules to start at the first line start at most kLookbackBytes
// earlier. RE2 matches whose last byte lies in the unit are kept. Vectorscan patterns are
// built to report a superset of RE2's match ends (on text without NUL bytes, see
// GoToHyperscan), so a match RE2 would find in a window always triggers that window;
// windows depend only on content, hence results do not depend on chunking. Bytes are
// kept only as far back as a pending or future window needs: at most about kUnitBytes +
// kOverlapBytes + kLookbackBytes before the end of the input, whatever the line lengths.
//
// Why vectorscan's streaming mode, not block mode over overlapping windows: the stream
// state carries every partial match across Feed calls, so each hit is reported exactly
// once whatever the chunk size, no byte is scanned twice, and unbounded patterns
// ([A-Za-z0-9+/]{250,}) need no overlap to be guessed; block mode would rescan an overlap
// per chunk, miss matches longer than it, and need deduplication. Why no
// HS_FLAG_SOM_LEFTMOST: a hit only has to say which line to confirm; RE2 then finds the
// exact span and the secret group, so start-of-match tracking (slower, larger stream
// state, incompatible with prefilter mode) would buy nothing.
//
// Not thread-safe; owned by one Scratch and used by one FileScanner at a time.
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/secret/internal/compiled.h"

namespace bulkhead::secret::internal {

inline constexpr uint64_t kUnitBytes = 64 * 1024;
inline constexpr uint64_t kOverlapBytes = 4 * 1024;
inline constexpr uint64_t kLookbackBytes = 16 * 1024;
inline constexpr size_t kContextBytes = 80;
inline constexpr size_t kMaxMatchesPerFile = 10000;

/// Number of '\n' bytes in [p, p + n).
size_t CountNewlines(const char* p, size_t n);

class ScanState {
 public:
  /// Allocates vectorscan scratch and stream state for `engine`, which must outlive it.
  static Result<std::unique_ptr<ScanState>> Create(const Engine& engine);
  ~ScanState();
  ScanState(const ScanState&) = delete;
  ScanState& operator=(const ScanState&) = delete;

  const Engine* engine() const { return engine_; }

  /// Resets everything for a new file.
  void Begin(std::string_view path, const ScanOptions& options);
  Status Feed(std::string_view chunk);
  Status Finish(std::vector<SecretMatch>* out);
  bool skipped_binary() const { return phase_ == Phase::kSkipped; }
  bool wants_more() const;

 private:
  enum class Phase { kIdle, kSniffing, kScanning, kSkipped, kFinished };

  /// Vectorscan hits of one rule whose ends lie on one line, close together, merged.
  struct Hit {
    uint32_t rule;
    bool gate;           ///< Run the fallback set on the unit (rule is then unused).
    uint64_t first_end;  ///< Offset just past the first hit's last byte.
    uint64_t last_end;   ///< The same for the last merged hit.
  };
  struct RuleHit {
    uint32_t rule;
    uint64_t last_end;  ///< The latest hit end of the rule in the unit.
  };
  struct Unit {
    uint64_t line_start = 0;
    uint64_t start = 0;
    uint64_t end = 0;       ///< Exclusive; 0 while not yet known.
    uint64_t searched = 0;  ///< The '\n' search has covered [start, searched).
    bool gate = false;
    std::vector<RuleHit> rules;
  };
  /// A confirmed secret; raw bytes stay here until Finish masks them.
  struct Found {
    uint32_t rule = 0;
    uint64_t begin = 0;  ///< The secret's span.
    uint64_t end = 0;
    uint32_t line = 0;
    uint32_t column = 0;
    std::string secret;
    uint64_t context_begin = 0;  ///< The raw context: bytes of the secret's line.
    std::string context;
    bool cut_left = false;
    bool cut_right = false;
  };

  explicit ScanState(const Engine* engine);
  static int OnHsMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                       void* ctx);

  // Streaming (scan_state.cc).
  Status ScanChunk(std::string_view data);
  void AddGateHits(std::string_view data, uint64_t data_start);
  void AddHitToUnit(uint32_t rule, bool gate, uint64_t end);
  void ResolveUnitEnd(Unit* unit, bool final);
  void ProcessReady(bool final);
  uint64_t KeepFrom() const;
  uint64_t WindowLowerBound(uint64_t line_start, uint64_t unit_start) const;
  void DropBefore(uint64_t new_start);
  uint64_t LineStartOf(uint64_t pos) const;
  uint64_t LineNumberAt(uint64_t pos);
  std::string_view BufferRange(uint64_t begin, uint64_t end) const {
    return std::string_view(buf_).substr(begin - buf_start_, end - begin);
  }

  // Confirmation and results (confirm.cc).
  void ProcessUnit(Unit* unit);
  /// Runs rule `rule_index` over [window_begin, window_end). `last_hit_end` (0: unknown)
  /// is the rule's last vectorscan hit end in the unit: no RE2 match can end later.
  void ConfirmRule(uint32_t rule_index, const Unit& unit, uint64_t window_begin,
                   uint64_t window_end, uint64_t last_hit_end);
  bool HasKeyword(const CompiledRule& rule, uint64_t window_begin, uint64_t window_end);
  bool Allowed(uint32_t rule_index, std::string_view secret, std::string_view match,
               std::string_view line) const;
  /// Keeps a confirmed secret [secret_begin, secret_end) of `window`, whose line is
  /// [line_begin, line_end) of the window.
  void Record(uint32_t rule_index, uint64_t window_begin, std::string_view window,
              size_t secret_begin, size_t secret_end, size_t line_begin, size_t line_end);
  void EmitResults(std::vector<SecretMatch>* out);
  std::string MaskedContext(const Found& f, const std::vector<const Found*>& sorted) const;

  const Engine* engine_;
  const EngineData* d_;
  std::unique_ptr<hs_scratch_t, HsScratchDeleter> hs_scratch_;
  hs_stream_t* stream_ = nullptr;

  // Per file.
  std::string path_;
  ScanOptions options_;
  Phase phase_ = Phase::kIdle;
  bool finished_ = false;
  std::string sniff_;
  uint64_t fed_ = 0;
  bool truncated_ = false;
  bool too_many_ = false;
  std::vector<uint8_t> rule_active_;
  std::vector<std::vector<int8_t>> rule_allow_path_;  ///< -1: no paths; 0/1: path matched.
  std::vector<int8_t> global_allow_path_;

  std::string buf_;  ///< Bytes [buf_start_, stream_end_).
  uint64_t buf_start_ = 0;
  uint64_t stream_end_ = 0;
  uint64_t lines_before_buf_ = 0;   ///< '\n' bytes before buf_start_.
  uint64_t line_start_at_buf_ = 0;  ///< Start of the line holding buf_start_.
  uint64_t tail_line_start_ = 0;    ///< Start of the line holding offset stream_end_.
  uint64_t prev_line_start_ = 0;    ///< Start of the line before that one.
  uint64_t gate_next_unit_ = 0;     ///< Next unit start that gets a gate hit.
  uint64_t cursor_pos_ = 0;         ///< LineNumberAt cache: '\n' count before cursor_pos_.
  uint64_t cursor_lines_ = 0;

  std::vector<Hit> hits_;
  std::deque<Unit> units_;
  std::vector<std::vector<RuleHit>> spare_rule_lists_;  ///< Reused Unit::rules storage.
  const char* chunk_data_ = nullptr;  ///< The chunk vectorscan is scanning, for OnHsMatch.
  uint64_t chunk_start_ = 0;
  std::vector<Found> found_;
  std::vector<re2::StringPiece> groups_;
  std::string lower_;  ///< Lower-cased copy of [lower_begin_, lower_end_), for keywords.
  uint64_t lower_begin_ = 0;
  uint64_t lower_end_ = 0;
  std::vector<int> set_matches_;
};

}  // namespace bulkhead::secret::internal
