// Loading of secret rules and allowlists from gitleaks' TOML configuration format, for
// `--secret-config FILE`. This file pair is the adapter of toml++: its exceptions end
// here, as Status values.
//
// Supported: [[rules]] (id, description, regex, secretGroup, entropy, keywords, path,
// [[rules.allowlists]] and the legacy [rules.allowlist]), the top-level [allowlist] /
// [[allowlists]] (with targetRules), allowlist condition / regexTarget / regexes / paths /
// stopwords, and [extend] useDefault / path / disabledRules. `useDefault` extends
// bulkhead's built-in rules (BuiltinRules), not gitleaks' own. A rule may also carry
// `severity = "HIGH"` (a bulkhead extension; gitleaks ignores it).
// Accepted with a warning: allowlist `commits` (no git history here), composite rules
// (`[[rules.required]]`: the primary rule runs alone), `skipReport` rules (dropped),
// and [extend] chains deeper than gitleaks' limit of two (ignored).
//
// Pure functions: thread-safe. Regexes are not compiled here; Engine::Compile checks
// them and names the rule it rejects.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/secret/rule.h"

namespace bulkhead::secret {

struct GitleaksLoadOptions {
  /// Directory against which relative [extend] paths are resolved. Empty: the working
  /// directory, as gitleaks does.
  std::string extend_base_dir;
  /// Severity of loaded rules, which gitleaks does not have.
  Severity default_severity = Severity::kMedium;
};

/// Parses gitleaks-format TOML. `source` names the text in messages (e.g. the path).
/// Errors (InvalidArgument, "<source>:<line>: ..."): TOML syntax, a rule without id or
/// without both regex and path, an empty allowlist, both [allowlist] and [[allowlists]],
/// an unknown regexTarget or condition, targetRules naming an unknown rule, a missing
/// [extend] file. `warnings` (may be null) receives the notes described above.
Result<RuleSet> ParseGitleaksConfig(std::string_view toml, std::string_view source,
                                    const GitleaksLoadOptions& options,
                                    std::vector<std::string>* warnings);

/// Reads the file at `path` (at most 16 MiB) and parses it. NotFound when it does not
/// exist, IOError when it cannot be read, otherwise as ParseGitleaksConfig.
Result<RuleSet> LoadGitleaksConfig(const std::string& path, const GitleaksLoadOptions& options,
                                   std::vector<std::string>* warnings);

}  // namespace bulkhead::secret
