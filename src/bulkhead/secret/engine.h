// Engine: a RuleSet compiled into one vectorscan (Hyperscan API) streaming database plus
// the RE2 programs that confirm its hits; Scratch: the per-thread working memory.
//
// How a file is scanned (file_scanner.h): vectorscan runs over the bytes as a stream and
// reports, per rule, where a match may end; RE2 then runs the rule's regex on the line
// that holds such a hit (up to 16 KiB before it for multi-line rules) and extracts the
// secret. Rules vectorscan cannot compile go to one RE2::Set pass instead, with a warning.
//
// Thread-safety: an Engine is immutable after Compile and safe to share between threads.
// A Scratch is not: each thread creates its own with NewScratch(). Ownership: Compile
// returns the only owner of the Engine; every Scratch (and so every FileScanner) must be
// destroyed before the Engine that made it.
//
// Errors: Compile fails with InvalidArgument naming the rule id when RE2 rejects a regex
// (bad syntax, lookaround, a program too large), when a secret group does not exist, or
// when rule ids repeat. That is a user error (CLI exit code 2), never a partial engine.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/secret/rule.h"

namespace bulkhead::secret {

namespace internal {
struct EngineData;
class ScanState;
}  // namespace internal

class Scratch;

struct CompileOptions {
  /// For tests and diagnosis: send every rule to the RE2 fallback (no vectorscan).
  bool force_re2 = false;
};

/// How the rules were compiled.
struct EngineStats {
  size_t rules = 0;
  size_t hyperscan = 0;            ///< Exact vectorscan patterns.
  size_t hyperscan_prefilter = 0;  ///< Vectorscan in prefilter mode (approximate, confirmed).
  size_t re2_fallback = 0;         ///< In the RE2::Set pass.
  size_t path_only = 0;            ///< No regex.
};

class Engine {
 public:
  /// Compiles `rules`. On success, `warnings` (if not null) receives one line per rule
  /// that vectorscan could not take (naming the rule and the reason); such rules still
  /// run, through RE2. Errors: see the file comment.
  static Result<std::unique_ptr<Engine>> Compile(const RuleSet& rules,
                                                 std::vector<std::string>* warnings,
                                                 const CompileOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineStats& stats() const;
  size_t rule_count() const;
  /// REQUIRES: i < rule_count(). Keywords are lower-cased.
  const Rule& rule(size_t i) const;

  /// A fresh scratch for one thread. Fails (ResourceExhausted) only when vectorscan cannot
  /// allocate its scratch or stream state.
  Result<std::unique_ptr<Scratch>> NewScratch() const;

  /// The vectorscan database this engine scans with, serialised, and the key that names
  /// it (a digest of its patterns, vectorscan's version and this CPU's features), for the
  /// build step that embeds the built-in rules' database in the binary
  /// (src/cli/embed_secret_db.cc). Empty bytes when no rule runs on vectorscan.
  std::pair<std::string, std::string> SerializedDatabase() const;

 private:
  friend class internal::ScanState;
  explicit Engine(std::unique_ptr<internal::EngineData> data);
  std::unique_ptr<internal::EngineData> data_;
};

/// Per-thread working memory: vectorscan scratch and stream state, and buffers that are
/// reused from file to file. Used by one FileScanner at a time. Opaque.
class Scratch {
 public:
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

 private:
  friend class Engine;
  friend class FileScanner;
  explicit Scratch(std::unique_ptr<internal::ScanState> state);
  std::unique_ptr<internal::ScanState> state_;
  bool in_use_ = false;
};

}  // namespace bulkhead::secret
