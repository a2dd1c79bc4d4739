// The compiled form of a RuleSet, shared by Engine (which builds it) and the scanner
// (which reads it).
//
// Immutable once built: safe to read from many threads (RE2 objects and the vectorscan
// database are thread-safe for matching). Owned by one Engine. Module-private.
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/rule.h"

namespace bulkhead::secret::internal {

struct CompiledAllowList {
  std::vector<std::unique_ptr<RE2>> regexes;
  RegexTarget target = RegexTarget::kSecret;
  std::vector<std::unique_ptr<RE2>> paths;
  std::vector<std::string> stop_words;  ///< Lower-case.
  bool require_all = false;
  std::vector<uint32_t> target_rules;  ///< Rule indices; empty: all (global lists only).
};

/// How a rule's candidates are found.
enum class Route {
  kHyperscan,  ///< In the vectorscan database (maybe in prefilter mode).
  kFallback,   ///< In the RE2::Set pass (vectorscan could not compile it).
  kPathOnly,   ///< No regex: the file's path is the finding.
};

struct CompiledRule {
  Rule rule;                ///< Keywords lower-cased.
  std::unique_ptr<RE2> re;  ///< Null for path-only rules.
  int groups = 0;           ///< Capture groups of `re`.
  std::unique_ptr<RE2> path_re;
  std::vector<CompiledAllowList> allowlists;
  Route route = Route::kHyperscan;
  bool prefilter = false;  ///< Compiled with HS_FLAG_PREFILTER.
  /// A fallback rule whose keywords are vectorscan literals: the RE2::Set runs only on
  /// windows where a keyword occurs.
  bool gated = false;
};

/// What a vectorscan pattern id stands for.
struct HsTarget {
  uint32_t rule = 0;
  bool gate = false;  ///< A keyword literal of fallback rule `rule`.
};

struct HsDatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

/// The RE2::Set of the fallback rules, one per encoding (RE2 sets share one Options).
struct FallbackSet {
  std::unique_ptr<RE2::Set> set;
  std::vector<uint32_t> rules;  ///< Set index -> rule index.
};

struct EngineData {
  std::vector<CompiledRule> rules;
  std::vector<CompiledAllowList> global_allowlists;
  std::unique_ptr<hs_database_t, HsDatabaseDeleter> db;  ///< Null when no rule uses it.
  std::string db_key;  ///< What names `db` in the caches (engine.cc CacheKey).
  std::unique_ptr<hs_scratch_t, HsScratchDeleter> proto_scratch;
  std::vector<HsTarget> hs_targets;  ///< Indexed by vectorscan pattern id.
  std::vector<FallbackSet> fallback_sets;
  bool any_multiline = false;        ///< Some rule needs the multi-line window.
  bool fallback_multiline = false;   ///< Some fallback rule needs it.
  bool fallback_every_line = false;  ///< An ungated fallback rule: the set runs on all lines.
  EngineStats stats;
};

}  // namespace bulkhead::secret::internal
