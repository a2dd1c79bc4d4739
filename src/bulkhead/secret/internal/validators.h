// Rule-specific checks of a candidate match (Rule::validator) and the placeholder
// heuristics behind them.
//
// Pure functions: thread-safe. Module-private (bulkhead::secret::internal).
#pragma once

#include <string>
#include <string_view>

#include "bulkhead/secret/rule.h"

namespace bulkhead::secret::internal {

struct Candidate {
  std::string_view secret;
  std::string_view match;   ///< The whole regex match.
  std::string_view before;  ///< Up to 64 bytes of the same line before the match.
  int group = 0;            ///< The capture group the secret came from (0: whole match).
};

/// The checks of `validator` that need only the match (candidate.match and .before, not
/// .secret), so that a rejected match costs no capture extraction. False: reject.
bool PassesMatchPrecheck(Validator validator, const Candidate& candidate);

/// True when the candidate passes the rest of `validator` (kNone always passes).
/// REQUIRES: PassesMatchPrecheck(validator, candidate).
bool PassesValidator(Validator validator, const Candidate& candidate);

/// True when `value` is a template, an environment lookup, a reference to code, a
/// well-known placeholder word, or otherwise not a literal secret. `literal` is true
/// for a quoted value (or one inside a URL), false for a bare value in code or config,
/// where '(' '[' '{' mean an expression.
bool IsPlaceholderValue(std::string_view value, bool literal);

/// True when the key name of an assignment (the text before '=' or ':') says that the
/// value is not the secret itself: "password_file", "token_url", "secretName", ...
bool IsNonSecretKeyName(std::string_view key);

/// Decodes standard or URL-safe base64, padding optional. False on a bad character.
bool DecodeBase64(std::string_view in, std::string* out);

}  // namespace bulkhead::secret::internal
