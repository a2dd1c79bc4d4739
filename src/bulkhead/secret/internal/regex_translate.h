// Translation of Go RE2-syntax rule regexes for the two matchers of the engine: RE2 (C++,
// which lacks a few Go spellings) and vectorscan (Hyperscan syntax, PCRE-like).
//
// Pure functions: thread-safe. Module-private (bulkhead::secret::internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::secret::internal {

/// The pattern for RE2: Go's `(?<name>` becomes `(?P<name>`. Errors (InvalidArgument,
/// message without the rule id) for lookaround groups and back-references, which Go and
/// RE2 do not have, with a hint saying so.
Result<std::string> GoToRe2(std::string_view go);

/// A pattern vectorscan accepts, with its flags.
struct HsPattern {
  std::string expression;
  unsigned flags = 0;
};

/// The pattern for vectorscan, meant as a prefilter whose set of match end offsets
/// contains RE2's (the engine confirms every hit with RE2): group names are dropped, a
/// leading (?i) becomes HS_FLAG_CASELESS, \A and \z become ^ and $ (the engine runs
/// with HS_FLAG_MULTILINE and RE2 sees one line at a time). To work around a vectorscan
/// 5.4.9 bug (X{n,}c is missed on long runs when X is every byte but c), classes of every
/// byte but one ([^"], '.') and of every byte ([\s\S], (?s) '.') exclude NUL as well:
/// the containment holds for text without NUL bytes. Returns nullopt, with the reason in
/// *why_not, for patterns that must go to RE2: non-ASCII bytes, Unicode classes (\p,
/// \P), \C, \Q...\E.
std::optional<HsPattern> GoToHyperscan(std::string_view go, std::string* why_not);

/// See RegexMayCrossLines() in rule.h.
bool MayCrossLines(std::string_view go);

/// True when `s` holds only ASCII bytes.
bool IsAscii(std::string_view s);

/// True when the pattern is ASCII and has no Unicode class (\p, \P): RE2 then runs it in
/// Latin-1 mode, byte for byte like vectorscan.
bool IsByteOriented(std::string_view pattern);

}  // namespace bulkhead::secret::internal
