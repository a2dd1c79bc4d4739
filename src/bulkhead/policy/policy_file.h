// Policy files (YAML): what fails the gate, which checks are skipped or enforced, and
// reviewed exceptions with reasons and expiry dates. The format is documented in
// docs/policy.md; an example is examples/policy.yaml.
//
// Parsing bounds the file size and the node count (YAML alias bombs). Policy values are
// immutable after loading; ApplyPolicy is a pure function of its inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::policy {

inline constexpr size_t kMaxPolicyBytes = 1 << 20;
inline constexpr size_t kMaxPolicyNodes = 100'000;

/// A finding fails the gate when it matches any rule: every present field must match.
struct FailRule {
  std::optional<FindingKind> kind;
  std::vector<Severity> severities;  ///< Empty: any severity.
  bool fixed_only = false;           ///< Only findings with a fixed version.
};

/// Silences the findings it matches. At least one of id, purl and path is set; all set
/// fields must match. `expires` ("YYYY-MM-DD") is the last day it applies.
struct Exception {
  std::string id;
  std::string purl;  ///< Matched without qualifiers when the exception has none.
  std::string path;  ///< Exact, or a directory prefix ending in "/".
  std::string reason;
  std::string expires;
};

struct Policy {
  std::string source;  ///< The file it came from, for messages.
  std::vector<FailRule> fail_on;
  std::vector<std::string> skip_checks;
  std::vector<std::string> enforce_checks;
  std::vector<Exception> exceptions;
  std::vector<std::string> trusted_registries;
};

/// Parses policy YAML. InvalidArgument names `name`, the field and what is wrong;
/// unknown keys are errors too, so a typo never silently weakens a policy.
Result<Policy> ParsePolicy(std::string_view yaml, const std::string& name);
/// Reads and parses the file at `path`.
Result<Policy> LoadPolicy(const std::string& path);

/// Applies `policy` to `report` as of `today` ("YYYY-MM-DD"): drops skipped checks,
/// moves findings matched by a live exception to report->suppressed, records unused and
/// expired exceptions in report->policy_notes, and rolls the controls up again.
/// Returns whether the gate fails: some remaining finding matches a fail_on rule (every
/// finding does when there are no rules) or an enforced check.
bool ApplyPolicy(const Policy& policy, std::string_view today, Report* report);

}  // namespace bulkhead::policy
