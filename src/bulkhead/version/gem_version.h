// RubyGems versions and their total order, as Gem::Version orders them.
//
// A version is a list of segments: runs of digits (numbers) and runs of letters
// (strings); every other character only separates them, and '-' first becomes ".pre."
// (so "1.0.0-rc1" == "1.0.0.pre.rc1"). Trailing zeros of the leading numeric part are
// dropped ("1.0.a" == "1.a"), and a missing segment compares as 0. Segments compare in
// order: numbers numerically, strings bytewise, and any string below any number, so a
// version with letters is a pre-release: 1.0.a < 1.0.b1 < 1.0 < 1.0.1.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none; comparison never fails and never allocates. A string that Gem::Version
// would reject (e.g. "1beta", "1..2") is still ordered, by the same segment rule applied
// to the digit and letter runs it holds, so "1beta" < "1". Numbers of any length are
// compared without overflow.
#pragma once

#include <string_view>

namespace bulkhead::version {

/// True when Gem::Version accepts `v`: optional surrounding whitespace around nothing or
/// "N(.X)*(-Y(.Y)*)?" where N is digits, X is [0-9A-Za-z]+ and Y is [0-9A-Za-z-]+.
bool IsValidGemVersion(std::string_view v);

/// Orders two RubyGems versions: -1, 0 or 1. Never allocates.
int CompareGemVersions(std::string_view a, std::string_view b);

}  // namespace bulkhead::version
