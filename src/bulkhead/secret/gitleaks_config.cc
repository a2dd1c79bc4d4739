// The toml++ adapter: the only file of the secret module that sees a C++ exception.
#include "bulkhead/secret/gitleaks_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "bulkhead/secret/builtin_rules.h"

namespace bulkhead::secret {
namespace {

constexpr uint64_t kMaxConfigBytes = 16u << 20;
constexpr int kMaxExtendDepth = 2;  // gitleaks' limit.

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A rule as read, with which optional fields were present (for [extend] merging).
struct ParsedRule {
  Rule rule;
  bool has_title = false;
  bool has_regex = false;
  bool has_path = false;
  bool has_secret_group = false;
  bool has_entropy = false;
  bool has_severity = false;
};

struct ParsedConfig {
  std::vector<ParsedRule> rules;
  std::vector<AllowList> allowlists;
  bool use_default = false;
  std::string extend_path;
  std::vector<std::string> disabled;
};

class Reader {
 public:
  Reader(std::string_view source, const GitleaksLoadOptions& options,
         std::vector<std::string>* warnings)
      : source_(source), options_(options), warnings_(warnings) {}

  Result<ParsedConfig> Read(const toml::table& root);

 private:
  Status Error(const toml::node* at, const std::string& what) const {
    std::string where(source_);
    if (at != nullptr && at->source().begin.line > 0) {
      where += ":" + std::to_string(at->source().begin.line);
    }
    return Status::InvalidArgument(where + ": " + what);
  }
  void Warn(const std::string& what) {
    if (warnings_ != nullptr) warnings_->push_back(std::string(source_) + ": " + what);
  }

  Result<std::optional<std::string>> String(const toml::table& t, std::string_view key,
                                            const std::string& what) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::optional<std::string>();
    if (!n->is_string()) return Error(n, what + ": '" + std::string(key) + "' must be a string");
    return std::optional<std::string>(n->as_string()->get());
  }
  Result<std::vector<std::string>> Strings(const toml::table& t, std::string_view key,
                                           const std::string& what) const {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const toml::array* a = n->as_array();
    if (a == nullptr) return Error(n, what + ": '" + std::string(key) + "' must be an array");
    for (const toml::node& e : *a) {
      if (!e.is_string()) {
        return Error(&e, what + ": '" + std::string(key) + "' must hold strings");
      }
      out.push_back(e.as_string()->get());
    }
    return out;
  }

  Result<AllowList> ReadAllowList(const toml::table& t, bool global, const std::string& what);
  Result<std::vector<AllowList>> ReadAllowLists(const toml::table& t, bool global,
                                                const std::string& what);
  Result<ParsedRule> ReadRule(const toml::table& t, size_t index, bool extending);

  std::string_view source_;
  const GitleaksLoadOptions& options_;
  std::vector<std::string>* warnings_;
};

Result<AllowList> Reader::ReadAllowList(const toml::table& t, bool global,
                                        const std::string& what) {
  AllowList al;
  BULKHEAD_ASSIGN_OR_RETURN(auto description, String(t, "description", what));
  al.description = description.value_or("");
  BULKHEAD_ASSIGN_OR_RETURN(auto condition, String(t, "condition", what));
  if (condition) {
    const std::string c = Lower(*condition);
    if (c != "or" && c != "and") {
      return Error(t.get("condition"), what + ": unknown condition '" + *condition + "'");
    }
    al.require_all = c == "and";
  }
  BULKHEAD_ASSIGN_OR_RETURN(auto target, String(t, "regexTarget", what));
  if (target) {
    if (*target == "secret" || target->empty()) {
      al.regex_target = RegexTarget::kSecret;
    } else if (*target == "match") {
      al.regex_target = RegexTarget::kMatch;
    } else if (*target == "line") {
      al.regex_target = RegexTarget::kLine;
    } else {
      return Error(t.get("regexTarget"), what + ": unknown regexTarget '" + *target + "'");
    }
  }
  BULKHEAD_ASSIGN_OR_RETURN(al.regexes, Strings(t, "regexes", what));
  BULKHEAD_ASSIGN_OR_RETURN(al.paths, Strings(t, "paths", what));
  BULKHEAD_ASSIGN_OR_RETURN(al.stop_words, Strings(t, "stopwords", what));
  BULKHEAD_ASSIGN_OR_RETURN(auto commits, Strings(t, "commits", what));
  BULKHEAD_ASSIGN_OR_RETURN(al.target_rules, Strings(t, "targetRules", what));
  if (!global && !al.target_rules.empty()) {
    return Error(t.get("targetRules"), what + ": targetRules is only allowed on global allowlists");
  }
  if (al.empty() && commits.empty()) {
    return Error(&t, what + ": the allowlist is empty (no regexes, paths, stopwords or commits)");
  }
  if (!commits.empty())
    Warn(what + ": 'commits' is ignored (bulkhead scans files, not git history)");
  return al;
}

// Reads the legacy single `allowlist` table and the `allowlists` array (not both).
Result<std::vector<AllowList>> Reader::ReadAllowLists(const toml::table& t, bool global,
                                                      const std::string& what) {
  std::vector<AllowList> out;
  const toml::node* single = t.get("allowlist");
  const toml::node* many = t.get("allowlists");
  if (single != nullptr && many != nullptr) {
    return Error(many, what + ": both 'allowlist' and 'allowlists' are set; use only 'allowlists'");
  }
  if (single != nullptr) {
    if (!single->is_table()) return Error(single, what + ": 'allowlist' must be a table");
    BULKHEAD_ASSIGN_OR_RETURN(auto al,
                              ReadAllowList(*single->as_table(), global, what + " allowlist"));
    out.push_back(std::move(al));
  }
  if (many != nullptr) {
    const toml::array* a = many->as_array();
    if (a == nullptr) return Error(many, what + ": 'allowlists' must be an array of tables");
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::table* at = a->get(i)->as_table();
      if (at == nullptr) return Error(a->get(i), what + ": 'allowlists' must hold tables");
      BULKHEAD_ASSIGN_OR_RETURN(
          auto al, ReadAllowList(*at, global, what + " allowlist #" + std::to_string(i + 1)));
      out.push_back(std::move(al));
    }
  }
  return out;
}

Result<Severity> ParseSeverity(std::string_view s) {
  const std::string l = Lower(std::string(s));
  if (l == "critical") return Severity::kCritical;
  if (l == "high") return Severity::kHigh;
  if (l == "medium") return Severity::kMedium;
  if (l == "low") return Severity::kLow;
  if (l == "unknown") return Severity::kUnknown;
  return Status::InvalidArgument("unknown severity '" + std::string(s) + "'");
}

Result<ParsedRule> Reader::ReadRule(const toml::table& t, size_t index, bool extending) {
  ParsedRule p;
  std::string what = "rule #" + std::to_string(index + 1);
  BULKHEAD_ASSIGN_OR_RETURN(auto id, String(t, "id", what));
  if (!id || id->empty()) return Error(&t, what + " has no id");
  p.rule.id = *id;
  what = "rule '" + *id + "'";
  p.rule.severity = options_.default_severity;
  BULKHEAD_ASSIGN_OR_RETURN(auto description, String(t, "description", what));
  p.has_title = description.has_value();
  p.rule.title = description.value_or(*id);
  BULKHEAD_ASSIGN_OR_RETURN(auto regex, String(t, "regex", what));
  p.has_regex = regex.has_value() && !regex->empty();
  p.rule.regex = regex.value_or("");
  p.rule.multiline = RegexMayCrossLines(p.rule.regex);
  BULKHEAD_ASSIGN_OR_RETURN(auto path, String(t, "path", what));
  p.has_path = path.has_value() && !path->empty();
  p.rule.path = path.value_or("");
  if (const toml::node* g = t.get("secretGroup")) {
    if (!g->is_integer()) return Error(g, what + ": 'secretGroup' must be an integer");
    const int64_t v = g->as_integer()->get();
    if (v < 0 || v > 1000) return Error(g, what + ": 'secretGroup' is out of range");
    p.rule.secret_group = static_cast<int>(v);
    p.has_secret_group = true;
  }
  if (const toml::node* e = t.get("entropy")) {
    if (e->is_integer()) {
      p.rule.min_entropy = static_cast<double>(e->as_integer()->get());
    } else if (e->is_floating_point()) {
      p.rule.min_entropy = e->as_floating_point()->get();
    } else {
      return Error(e, what + ": 'entropy' must be a number");
    }
    p.has_entropy = true;
  }
  BULKHEAD_ASSIGN_OR_RETURN(p.rule.keywords, Strings(t, "keywords", what));
  for (std::string& k : p.rule.keywords) k = Lower(std::move(k));
  BULKHEAD_ASSIGN_OR_RETURN(auto severity, String(t, "severity", what));
  if (severity) {
    Result<Severity> s = ParseSeverity(*severity);
    if (!s.ok()) return Error(t.get("severity"), what + ": " + std::string(s.error().message()));
    p.rule.severity = *s;
    p.has_severity = true;
  }
  BULKHEAD_ASSIGN_OR_RETURN(p.rule.allowlists, ReadAllowLists(t, /*global=*/false, what));
  if (t.get("required") != nullptr) {
    Warn(what +
         ": composite conditions ([[rules.required]]) are not supported; the rule runs "
         "on its own");
  }
  if (!p.has_regex && !p.has_path && !extending) {
    return Error(&t, what + ": both 'regex' and 'path' are empty, the rule would never match");
  }
  return p;
}

Result<ParsedConfig> Reader::Read(const toml::table& root) {
  ParsedConfig cfg;
  if (const toml::node* ext = root.get("extend")) {
    const toml::table* et = ext->as_table();
    if (et == nullptr) return Error(ext, "'extend' must be a table");
    if (const toml::node* u = et->get("useDefault")) {
      if (!u->is_boolean()) return Error(u, "extend: 'useDefault' must be a boolean");
      cfg.use_default = u->as_boolean()->get();
    }
    BULKHEAD_ASSIGN_OR_RETURN(auto path, String(*et, "path", "extend"));
    cfg.extend_path = path.value_or("");
    BULKHEAD_ASSIGN_OR_RETURN(auto url, String(*et, "url", "extend"));
    if (url && !url->empty()) return Error(et->get("url"), "extend: 'url' is not supported");
    BULKHEAD_ASSIGN_OR_RETURN(cfg.disabled, Strings(*et, "disabledRules", "extend"));
  }
  const bool extending = cfg.use_default || !cfg.extend_path.empty();
  if (const toml::node* rules = root.get("rules")) {
    const toml::array* a = rules->as_array();
    if (a == nullptr) return Error(rules, "'rules' must be an array of tables ([[rules]])");
    for (size_t i = 0; i < a->size(); ++i) {
      const toml::table* rt = a->get(i)->as_table();
      if (rt == nullptr) return Error(a->get(i), "'rules' must hold tables");
      BULKHEAD_ASSIGN_OR_RETURN(ParsedRule p, ReadRule(*rt, i, extending));
      if (const toml::node* skip = rt->get("skipReport");
          skip != nullptr && skip->is_boolean() && skip->as_boolean()->get()) {
        Warn("rule '" + p.rule.id + "': skipReport rules only serve composite rules; dropped");
        continue;
      }
      auto same = std::find_if(cfg.rules.begin(), cfg.rules.end(),
                               [&](const ParsedRule& r) { return r.rule.id == p.rule.id; });
      if (same != cfg.rules.end()) {
        Warn("rule '" + p.rule.id + "' is defined twice; the later definition wins");
        *same = std::move(p);
      } else {
        cfg.rules.push_back(std::move(p));
      }
    }
  }
  BULKHEAD_ASSIGN_OR_RETURN(cfg.allowlists, ReadAllowLists(root, /*global=*/true, "global"));
  return cfg;
}

// Child rule `c` overrides what it sets of base rule `b` (gitleaks' extend semantics).
void MergeInto(Rule* b, const ParsedRule& c) {
  if (c.has_title) b->title = c.rule.title;
  if (c.has_regex) {
    b->regex = c.rule.regex;
    b->multiline = c.rule.multiline;
    b->validator = Validator::kNone;  // Built-in checks assume the built-in regex.
  }
  if (c.has_secret_group) b->secret_group = c.rule.secret_group;
  if (c.has_entropy) b->min_entropy = c.rule.min_entropy;
  if (c.has_path) b->path = c.rule.path;
  if (c.has_severity) b->severity = c.rule.severity;
  for (const std::string& k : c.rule.keywords) {
    if (std::find(b->keywords.begin(), b->keywords.end(), k) == b->keywords.end()) {
      b->keywords.push_back(k);
    }
  }
  b->allowlists.insert(b->allowlists.end(), c.rule.allowlists.begin(), c.rule.allowlists.end());
}

Result<std::string> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::ifstream probe(path);
    if (!probe.good()) return Status::NotFound("secret config " + path + " not found");
    return Status::IOError("cannot read secret config " + path);
  }
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > kMaxConfigBytes) {
      return Status::ResourceExhausted("secret config " + path + " is larger than 16 MiB");
    }
  }
  if (in.bad()) return Status::IOError("cannot read secret config " + path);
  return data;
}

Result<RuleSet> ParseAtDepth(std::string_view text, std::string_view source,
                             const GitleaksLoadOptions& options, std::vector<std::string>* warnings,
                             int depth);

Result<RuleSet> LoadAtDepth(const std::string& path, const GitleaksLoadOptions& options,
                            std::vector<std::string>* warnings, int depth) {
  BULKHEAD_ASSIGN_OR_RETURN(std::string text, ReadConfigFile(path));
  return ParseAtDepth(text, path, options, warnings, depth);
}

// The rules a config extends: the built-in ones, another file, or none.
Result<RuleSet> LoadBase(const ParsedConfig& cfg, std::string_view source,
                         const GitleaksLoadOptions& options, std::vector<std::string>* warnings,
                         int depth) {
  RuleSet base;
  if (!cfg.use_default && cfg.extend_path.empty()) return base;
  if (depth >= kMaxExtendDepth) {
    if (warnings != nullptr) {
      warnings->push_back(std::string(source) + ": [extend] is ignored beyond a depth of " +
                          std::to_string(kMaxExtendDepth));
    }
    return base;
  }
  if (cfg.use_default) {
    base = BuiltinRules();
  } else {
    std::string path = cfg.extend_path;
    if (path[0] != '/' && !options.extend_base_dir.empty()) {
      path = options.extend_base_dir + "/" + path;
    }
    Result<RuleSet> loaded = LoadAtDepth(path, options, warnings, depth + 1);
    if (!loaded.ok()) {
      const Status& e = loaded.error();
      if (e.IsNotFound()) {  // The config names a base that is not there: its own error.
        return Status::InvalidArgument(std::string(source) +
                                       ": [extend] path: " + std::string(e.message()));
      }
      return e.WithContext(std::string(source) + ": [extend] path");
    }
    base = std::move(loaded).value();
  }
  for (const std::string& id : cfg.disabled) {
    base.rules.erase(std::remove_if(base.rules.begin(), base.rules.end(),
                                    [&](const Rule& r) { return r.id == id; }),
                     base.rules.end());
  }
  return base;
}

// The config's rules and allowlists on top of its base.
Result<RuleSet> Merge(RuleSet base, const ParsedConfig& cfg, std::string_view source,
                      std::vector<std::string>* warnings) {
  RuleSet out = std::move(base);
  for (const ParsedRule& p : cfg.rules) {
    auto it = std::find_if(out.rules.begin(), out.rules.end(),
                           [&](const Rule& r) { return r.id == p.rule.id; });
    if (it != out.rules.end()) {
      MergeInto(&*it, p);
    } else if (!p.has_regex && !p.has_path) {
      if (warnings != nullptr) {
        warnings->push_back(std::string(source) + ": rule '" + p.rule.id +
                            "' has no regex or path and extends no rule; ignored");
      }
    } else {
      out.rules.push_back(p.rule);
    }
  }
  out.allowlists.insert(out.allowlists.end(), cfg.allowlists.begin(), cfg.allowlists.end());
  for (const AllowList& al : out.allowlists) {
    for (const std::string& id : al.target_rules) {
      if (std::none_of(out.rules.begin(), out.rules.end(),
                       [&](const Rule& r) { return r.id == id; })) {
        return Status::InvalidArgument(
            std::string(source) + ": global allowlist targetRules names unknown rule '" + id + "'");
      }
    }
  }
  return out;
}

Result<RuleSet> ParseAtDepth(std::string_view text, std::string_view source,
                             const GitleaksLoadOptions& options, std::vector<std::string>* warnings,
                             int depth) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(std::string(source) + ":" +
                                   std::to_string(e.source().begin.line) + ":" +
                                   std::to_string(e.source().begin.column) +
                                   ": TOML syntax error: " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status::Internal(std::string(source) + ": TOML parser failed: " + e.what());
  }
  Reader reader(source, options, warnings);
  BULKHEAD_ASSIGN_OR_RETURN(ParsedConfig cfg, reader.Read(root));
  BULKHEAD_ASSIGN_OR_RETURN(RuleSet base, LoadBase(cfg, source, options, warnings, depth));
  return Merge(std::move(base), cfg, source, warnings);
}

}  // namespace

Result<RuleSet> ParseGitleaksConfig(std::string_view toml, std::string_view source,
                                    const GitleaksLoadOptions& options,
                                    std::vector<std::string>* warnings) {
  try {
    return ParseAtDepth(toml, source, options, warnings, 0);
  } catch (const std::exception& e) {
    return Status::Internal(std::string(source) +
                            ": loading the secret config failed: " + e.what());
  }
}

Result<RuleSet> LoadGitleaksConfig(const std::string& path, const GitleaksLoadOptions& options,
                                   std::vector<std::string>* warnings) {
  try {
    return LoadAtDepth(path, options, warnings, 0);
  } catch (const std::exception& e) {
    return Status::Internal(path + ": loading the secret config failed: " + e.what());
  }
}

}  // namespace bulkhead::secret
