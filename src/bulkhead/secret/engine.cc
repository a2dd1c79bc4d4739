#include "bulkhead/secret/engine.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <utility>

#include "bulkhead/core/disk_cache.h"
#include "bulkhead/core/sha256.h"
#include "bulkhead/secret/internal/compiled.h"
#include "bulkhead/secret/internal/regex_translate.h"
#include "bulkhead/secret/internal/scan_state.h"

namespace bulkhead::secret {
namespace {

using internal::CompiledAllowList;
using internal::CompiledRule;
using internal::EngineData;
using internal::Route;

constexpr int64_t kRe2MaxMemBytes = 8 << 20;
constexpr int64_t kRe2SetMaxMemBytes = 64 << 20;

RE2::Options Re2Options(bool latin1, int64_t max_mem) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(max_mem);
  if (latin1) o.set_encoding(RE2::Options::EncodingLatin1);
  return o;
}

// Compiles a Go-syntax regex. Rule regexes made of ASCII without Unicode classes run in
// Latin-1 mode, byte for byte like vectorscan; the others, and path and allowlist
// regexes, keep Go's UTF-8 semantics.
Result<std::unique_ptr<RE2>> CompileRe2(std::string_view go, bool latin1_if_ascii,
                                        const std::string& what) {
  Result<std::string> pattern = internal::GoToRe2(go);
  if (!pattern.ok()) return pattern.status().WithContext(what);
  const bool latin1 = latin1_if_ascii && internal::IsByteOriented(*pattern);
  auto re = std::make_unique<RE2>(*pattern, Re2Options(latin1, kRe2MaxMemBytes));
  if (!re->ok()) {
    std::string msg = "RE2 rejects '" + std::string(go) + "': " + re->error();
    if (re->error_code() == RE2::ErrorPatternTooLarge) {
      msg += " (the regex is too large or too repetitive for RE2's memory limit)";
    }
    return Status::InvalidArgument(what + ": " + msg);
  }
  return re;
}

Result<CompiledAllowList> CompileAllowList(
    const AllowList& al, const std::string& what,
    const std::unordered_map<std::string, uint32_t>* rule_ids) {
  CompiledAllowList out;
  out.target = al.regex_target;
  out.require_all = al.require_all;
  for (const std::string& r : al.regexes) {
    BULKHEAD_ASSIGN_OR_RETURN(auto re, CompileRe2(r, false, what + " regex"));
    out.regexes.push_back(std::move(re));
  }
  for (const std::string& p : al.paths) {
    BULKHEAD_ASSIGN_OR_RETURN(auto re, CompileRe2(p, false, what + " path"));
    out.paths.push_back(std::move(re));
  }
  for (const std::string& w : al.stop_words) {
    std::string lower = w;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower.empty()) out.stop_words.push_back(std::move(lower));
  }
  for (const std::string& id : al.target_rules) {
    if (rule_ids == nullptr) {
      return Status::InvalidArgument(what + ": targetRules is only allowed on global allowlists");
    }
    auto it = rule_ids->find(id);
    if (it == rule_ids->end()) {
      return Status::InvalidArgument(what + ": targetRules names unknown rule '" + id + "'");
    }
    out.target_rules.push_back(it->second);
  }
  return out;
}

Result<CompiledRule> CompileRule(const Rule& rule) {
  const std::string what = "rule '" + rule.id + "'";
  CompiledRule cr;
  cr.rule = rule;
  if (cr.rule.title.empty()) cr.rule.title = rule.id;
  cr.rule.keywords.clear();
  for (const std::string& k : rule.keywords) {
    std::string lower = k;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!lower.empty() && std::find(cr.rule.keywords.begin(), cr.rule.keywords.end(), lower) ==
                              cr.rule.keywords.end()) {
      cr.rule.keywords.push_back(std::move(lower));
    }
  }
  if (rule.secret_group < 0) {
    return Status::InvalidArgument(what + ": secretGroup must not be negative");
  }
  if (!rule.path.empty()) {
    BULKHEAD_ASSIGN_OR_RETURN(cr.path_re, CompileRe2(rule.path, false, what + " path"));
  }
  if (rule.regex.empty()) {
    cr.route = Route::kPathOnly;
  } else {
    BULKHEAD_ASSIGN_OR_RETURN(cr.re, CompileRe2(rule.regex, true, what + " regex"));
    cr.groups = cr.re->NumberOfCapturingGroups();
    if (rule.secret_group > cr.groups) {
      return Status::InvalidArgument(what + ": secretGroup " + std::to_string(rule.secret_group) +
                                     " but the regex has " + std::to_string(cr.groups) +
                                     " capture group(s)");
    }
    cr.rule.multiline = rule.multiline || internal::MayCrossLines(rule.regex);
  }
  for (size_t k = 0; k < rule.allowlists.size(); ++k) {
    if (!rule.allowlists[k].target_rules.empty()) {
      return Status::InvalidArgument(what + ": targetRules is only allowed on global allowlists");
    }
    BULKHEAD_ASSIGN_OR_RETURN(
        auto al, CompileAllowList(rule.allowlists[k], what + " allowlist #" + std::to_string(k + 1),
                                  nullptr));
    cr.allowlists.push_back(std::move(al));
  }
  return cr;
}

// A vectorscan literal for `keyword`: every byte that is not alphanumeric is escaped.
std::string HsLiteral(std::string_view keyword) {
  std::string out;
  for (char c : keyword) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\x%02x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += esc;
    }
  }
  return out;
}

struct HsCandidate {
  uint32_t rule;
  internal::HsPattern pattern;
};

// The patterns of the database: the rules vectorscan takes (with their prefilter flag),
// then the keywords of gated fallback rules. Fills d->hs_targets in the same order.
void CollectPatterns(EngineData* d, const std::vector<HsCandidate>& cands,
                     std::vector<std::string>* exprs, std::vector<unsigned>* flags) {
  d->hs_targets.clear();
  for (const HsCandidate& c : cands) {
    if (d->rules[c.rule].route != Route::kHyperscan) continue;
    exprs->push_back(c.pattern.expression);
    flags->push_back(c.pattern.flags | (d->rules[c.rule].prefilter ? HS_FLAG_PREFILTER : 0));
    d->hs_targets.push_back(internal::HsTarget{c.rule, false});
  }
  for (uint32_t r = 0; r < d->rules.size(); ++r) {
    CompiledRule& cr = d->rules[r];
    if (cr.route != Route::kFallback) continue;
    cr.gated = !cr.rule.multiline && !cr.rule.keywords.empty();
    if (!cr.gated) continue;
    for (const std::string& k : cr.rule.keywords) {
      exprs->push_back(HsLiteral(k));
      flags->push_back(HS_FLAG_CASELESS);
      d->hs_targets.push_back(internal::HsTarget{r, true});
    }
  }
}

// Compiling the built-in rules takes vectorscan about 150 ms, more than scanning a small
// image; the compiled database is kept in the disk cache, keyed by everything that went
// into it. vectorscan checks a database's header, version and platform when it reads it.
std::string CacheKey(const std::vector<std::string>& exprs, const std::vector<unsigned>& flags) {
  Sha256 h;
  h.Update(hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    h.Update(&platform.tune, sizeof(platform.tune));
    h.Update(&platform.cpu_features, sizeof(platform.cpu_features));
  }
  for (size_t i = 0; i < exprs.size(); ++i) {
    const uint64_t size = exprs[i].size();
    h.Update(&size, sizeof(size));
    h.Update(exprs[i]);
    h.Update(&flags[i], sizeof(flags[i]));
  }
  return h.FinishDigest().substr(7);  // the hex digits
}

}  // namespace
}  // namespace bulkhead::secret

// The built-in rules' database, compiled when bulkhead was built (src/cli/embed_secret_db.cc
// generates these into the `bulkhead` executable). Weak: other programs (tests, fuzzers,
// the generator itself) have none and compile as usual. Used only when its key equals the
// key of the rules being compiled, which covers vectorscan's version and the CPU features.
extern "C" {
__attribute__((weak)) extern const char bulkhead_builtin_hs_key[];
__attribute__((weak)) extern const unsigned char bulkhead_builtin_hs_db[];
__attribute__((weak)) extern const size_t bulkhead_builtin_hs_db_size;
}

namespace bulkhead::secret {
namespace {

hs_database_t* LoadEmbedded(const std::string& key) {
  if (bulkhead_builtin_hs_key == nullptr || bulkhead_builtin_hs_db == nullptr ||
      &bulkhead_builtin_hs_db_size == nullptr || key != bulkhead_builtin_hs_key) {
    return nullptr;
  }
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(reinterpret_cast<const char*>(bulkhead_builtin_hs_db),
                              bulkhead_builtin_hs_db_size, &db) != HS_SUCCESS) {
    return nullptr;
  }
  return db;
}

hs_database_t* LoadCached(const std::string& key) {
  if (hs_database_t* embedded = LoadEmbedded(key)) return embedded;
  std::optional<std::string> bytes = DiskCache::Default().Get("hs", key);
  hs_database_t* db = nullptr;
  if (!bytes || hs_deserialize_database(bytes->data(), bytes->size(), &db) != HS_SUCCESS) {
    return nullptr;
  }
  return db;
}

void StoreCached(const std::string& key, const hs_database_t* db) {
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  DiskCache::Default().Put("hs", key, std::string_view(bytes, length));
  std::free(bytes);
}

// Builds the vectorscan database. Rules vectorscan rejects are retried in prefilter mode,
// then moved to the RE2 fallback with a warning; keywords of fallback rules become
// literal patterns that gate the RE2::Set pass.
Status BuildHyperscan(EngineData* d, std::vector<HsCandidate> cands,
                      std::vector<std::string>* warnings) {
  auto to_fallback = [&](uint32_t r, const std::string& why) {
    d->rules[r].route = Route::kFallback;
    d->rules[r].prefilter = false;
    warnings->push_back("rule '" + d->rules[r].rule.id + "': vectorscan cannot compile it (" + why +
                        "); it runs on RE2 instead (slower)");
  };
  for (;;) {
    std::vector<std::string> exprs;
    std::vector<unsigned> flags;
    CollectPatterns(d, cands, &exprs, &flags);
    if (exprs.empty()) return Status::OK();
    std::vector<const char*> ptrs;
    std::vector<unsigned> ids;
    for (size_t i = 0; i < exprs.size(); ++i) {
      ptrs.push_back(exprs[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    const std::string key = CacheKey(exprs, flags);
    d->db_key = key;
    if (db = LoadCached(key); db) {
      d->db.reset(db);
    } else if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(),
                                static_cast<unsigned>(ptrs.size()), HS_MODE_STREAM, nullptr, &db,
                                &err) == HS_SUCCESS) {
      d->db.reset(db);
      StoreCached(key, db);
    }
    if (d->db) {
      hs_scratch_t* scratch = nullptr;
      if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
        return Status::ResourceExhausted("vectorscan could not allocate scratch space");
      }
      d->proto_scratch.reset(scratch);
      return Status::OK();
    }
    const std::string message = err->message;
    const int bad = err->expression;
    hs_free_compile_error(err);
    if (bad >= 0 && static_cast<size_t>(bad) < d->hs_targets.size() &&
        !d->hs_targets[static_cast<size_t>(bad)].gate) {
      CompiledRule& cr = d->rules[d->hs_targets[static_cast<size_t>(bad)].rule];
      if (!cr.prefilter) {
        cr.prefilter = true;  // Retry as an approximate prefilter; RE2 confirms anyway.
      } else {
        to_fallback(d->hs_targets[static_cast<size_t>(bad)].rule, message);
      }
      continue;
    }
    // The failure is not one rule's: give up on vectorscan for all of them.
    bool moved = false;
    for (const HsCandidate& c : cands) {
      if (d->rules[c.rule].route == Route::kHyperscan) {
        to_fallback(c.rule, "the database failed: " + message);
        moved = true;
      }
    }
    if (!moved) return Status::Internal("vectorscan cannot compile keyword literals: " + message);
  }
}

Status BuildFallbackSets(EngineData* d) {
  for (const bool latin1 : {true, false}) {
    internal::FallbackSet fs;
    for (uint32_t r = 0; r < d->rules.size(); ++r) {
      const CompiledRule& cr = d->rules[r];
      if (cr.route != Route::kFallback || internal::IsByteOriented(cr.re->pattern()) != latin1) {
        continue;
      }
      if (!fs.set) {
        fs.set =
            std::make_unique<RE2::Set>(Re2Options(latin1, kRe2SetMaxMemBytes), RE2::UNANCHORED);
      }
      std::string error;
      if (fs.set->Add(cr.re->pattern(), &error) < 0) {
        return Status::InvalidArgument("rule '" + cr.rule.id + "': RE2::Set rejects it: " + error);
      }
      fs.rules.push_back(r);
    }
    if (!fs.set) continue;
    if (!fs.set->Compile()) {
      return Status::InvalidArgument("the RE2 fallback set of " + std::to_string(fs.rules.size()) +
                                     " rules is too large for RE2's memory limit");
    }
    d->fallback_sets.push_back(std::move(fs));
  }
  return Status::OK();
}

// Stats, and the flags the scanner needs about the rules as a whole.
void Summarize(EngineData* d) {
  EngineStats& st = d->stats;
  st.rules = d->rules.size();
  for (const CompiledRule& cr : d->rules) {
    switch (cr.route) {
      case Route::kHyperscan:
        ++(cr.prefilter ? st.hyperscan_prefilter : st.hyperscan);
        break;
      case Route::kFallback:
        ++st.re2_fallback;
        d->fallback_multiline = d->fallback_multiline || cr.rule.multiline;
        d->fallback_every_line = d->fallback_every_line || !cr.gated;
        break;
      case Route::kPathOnly:
        ++st.path_only;
        break;
    }
    if (cr.route != Route::kPathOnly) d->any_multiline = d->any_multiline || cr.rule.multiline;
  }
}

}  // namespace

Engine::Engine(std::unique_ptr<internal::EngineData> data) : data_(std::move(data)) {}
Engine::~Engine() = default;

const EngineStats& Engine::stats() const { return data_->stats; }

std::pair<std::string, std::string> Engine::SerializedDatabase() const {
  if (!data_->db) return {data_->db_key, ""};
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(data_->db.get(), &bytes, &length) != HS_SUCCESS) return {"", ""};
  std::pair<std::string, std::string> out{data_->db_key, std::string(bytes, length)};
  std::free(bytes);
  return out;
}
size_t Engine::rule_count() const { return data_->rules.size(); }
const Rule& Engine::rule(size_t i) const { return data_->rules[i].rule; }

Result<std::unique_ptr<Engine>> Engine::Compile(const RuleSet& rules,
                                                std::vector<std::string>* warnings,
                                                const CompileOptions& options) {
  std::vector<std::string> local_warnings;
  if (warnings == nullptr) warnings = &local_warnings;
  auto d = std::make_unique<EngineData>();
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<HsCandidate> cands;
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& rule = rules.rules[i];
    if (rule.id.empty()) {
      return Status::InvalidArgument("rule #" + std::to_string(i + 1) + " has no id");
    }
    if (!ids.emplace(rule.id, static_cast<uint32_t>(i)).second) {
      return Status::InvalidArgument("rule id '" + rule.id + "' is defined twice");
    }
    if (rule.regex.empty() && rule.path.empty()) {
      return Status::InvalidArgument("rule '" + rule.id + "' has neither a regex nor a path");
    }
    BULKHEAD_ASSIGN_OR_RETURN(CompiledRule cr, CompileRule(rule));
    if (cr.route != Route::kPathOnly) {
      std::string why_not;
      std::optional<internal::HsPattern> hs;
      if (options.force_re2) {
        why_not = "forced by CompileOptions::force_re2";
      } else {
        hs = internal::GoToHyperscan(rule.regex, &why_not);
      }
      if (hs) {
        cands.push_back(HsCandidate{static_cast<uint32_t>(i), std::move(*hs)});
      } else {
        cr.route = Route::kFallback;
        if (!options.force_re2) {
          warnings->push_back("rule '" + rule.id + "': vectorscan cannot compile it (" + why_not +
                              "); it runs on RE2 instead (slower)");
        }
      }
    }
    d->rules.push_back(std::move(cr));
  }
  for (size_t k = 0; k < rules.allowlists.size(); ++k) {
    BULKHEAD_ASSIGN_OR_RETURN(
        auto al,
        CompileAllowList(rules.allowlists[k], "global allowlist #" + std::to_string(k + 1), &ids));
    d->global_allowlists.push_back(std::move(al));
  }
  BULKHEAD_RETURN_IF_ERROR(BuildHyperscan(d.get(), std::move(cands), warnings));
  BULKHEAD_RETURN_IF_ERROR(BuildFallbackSets(d.get()));

  Summarize(d.get());
  return std::unique_ptr<Engine>(new Engine(std::move(d)));
}

Result<std::unique_ptr<Scratch>> Engine::NewScratch() const {
  BULKHEAD_ASSIGN_OR_RETURN(auto state, internal::ScanState::Create(*this));
  return std::unique_ptr<Scratch>(new Scratch(std::move(state)));
}

Scratch::Scratch(std::unique_ptr<internal::ScanState> state) : state_(std::move(state)) {}
Scratch::~Scratch() = default;

}  // namespace bulkhead::secret
