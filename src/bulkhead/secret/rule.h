// Rule, AllowList, RuleSet: the data model of secret detection (issue 4).
//
// Plain value types, filled by BuiltinRules() (builtin_rules.h), by a gitleaks-format
// TOML file (gitleaks_config.h) or by the caller, then compiled once by
// Engine::Compile (engine.h). They hold no compiled state and are safe to copy and to read
// from many threads. Regexes are strings in Go RE2 syntax; they are checked when the
// engine is compiled, which names the rule of any regex it rejects.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"

namespace bulkhead::secret {

/// What an allowlist's `regexes` are matched against (gitleaks `regexTarget`).
enum class RegexTarget {
  kSecret,  ///< The secret alone (the default).
  kMatch,   ///< The whole regex match.
  kLine,    ///< The line(s) that hold the match.
};

/// A reason not to report a match. With `require_all` false (gitleaks condition "OR") one
/// criterion that holds is enough; with it true (condition "AND") every non-empty
/// criterion must hold.
struct AllowList {
  std::string description;
  std::vector<std::string> regexes;  ///< RE2 patterns, searched (not anchored) in the target.
  RegexTarget regex_target = RegexTarget::kSecret;
  std::vector<std::string> paths;       ///< RE2 patterns searched in the file path.
  std::vector<std::string> stop_words;  ///< Substrings of the lower-cased secret.
  bool require_all = false;
  /// Global allowlists only: the rule ids they apply to; empty means every rule.
  std::vector<std::string> target_rules;

  bool empty() const { return regexes.empty() && paths.empty() && stop_words.empty(); }
};

/// Extra, rule-specific checks of a candidate match, used by the built-in rules. User
/// rules (gitleaks TOML) use kNone.
enum class Validator {
  kNone,
  kToken,         ///< Rejects documentation placeholders: "EXAMPLE", xxxx runs, *****.
  kCredential,    ///< A password or token value: rejects templates and env lookups.
  kAssignment,    ///< kCredential, plus a key name that is not e.g. "password_file".
  kJwt,           ///< The header decodes to a JSON object with "alg".
  kDiscordToken,  ///< The first part decodes to a Discord user id (17-20 digits).
  kPemPlain,      ///< A private key that is not encrypted.
  kPemEncrypted,  ///< A private key that is encrypted (still reported, lower severity).
};

struct Rule {
  /// Unique, e.g. "aws-access-token". A rule whose id starts with "generic" (such as
  /// "generic-api-key") is a catch-all: its match is dropped when a specific rule found
  /// a secret overlapping the same bytes.
  std::string id;
  std::string title;
  Severity severity = Severity::kMedium;
  /// Go RE2 syntax. Empty for a path-only rule, which reports the file itself.
  std::string regex;
  /// The capture group holding the secret. 0: the first non-empty group, or the whole
  /// match when the regex has no group.
  int secret_group = 0;
  /// Minimum Shannon entropy (bits per byte) of the secret.
  std::optional<double> min_entropy;
  /// Lower-case literals; a match counts only if one occurs in the scanned window
  /// (case-insensitively). Empty: no keyword condition.
  std::vector<std::string> keywords;
  /// RE2 pattern on the file path; the rule applies only to files it matches.
  std::string path;
  std::vector<AllowList> allowlists;
  Validator validator = Validator::kNone;
  /// The regex may match across lines (RE2 sees up to 16 KiB before the line where a
  /// match ends). Loaders set it when the regex mentions \n, \r, (?s) or [\s\S].
  bool multiline = false;
};

/// Everything the engine needs: the rules and the allowlists that apply to all of them
/// (gitleaks' top-level [allowlist] / [[allowlists]]; callers append their own here).
struct RuleSet {
  std::vector<Rule> rules;
  std::vector<AllowList> allowlists;
};

/// True when `regex` can plausibly match a line break: it contains \n, \r, a (?s) flag,
/// or a class with both \s and \S (or \w\W, \d\D). Used to set Rule::multiline.
bool RegexMayCrossLines(std::string_view regex);

}  // namespace bulkhead::secret
