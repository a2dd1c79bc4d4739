// Python package versions (PEP 440) and their total order, as the `packaging` library
// (22 and later) orders them: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local].
//
// Parsing accepts every spelling that PEP 440 normalises: any case, a leading 'v',
// surrounding whitespace, '-', '_' or '.' (or nothing) around the pre, post and dev
// labels, the alternative labels alpha, beta, c, pre, preview (rc), rev and r (post), a
// missing number (0), and "1.0-1" as a post release. So "1.0.0" == "1", "1.0a1" ==
// "1.0.0.A-1", "1.0-1" == "1.0.post1". Order: epoch, then the release numbers (missing
// numbers are 0), then dev-only releases < pre-releases < the release < post releases,
// dev releases before the version they develop, and a local version after the same
// version without one (local segments: numbers above strings, compared numerically).
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none; comparison never fails and never allocates. Invalid input has a fixed
// place in the order: every string that is not PEP 440 sorts before every string that
// is (as packaging's LegacyVersion did), and invalid strings order among themselves
// bytewise. Numbers of any length are compared without overflow.
#pragma once

#include <string_view>

namespace bulkhead::version {

/// True when `v` is a PEP 440 version in any spelling that normalises (see above).
bool IsValidPep440(std::string_view v);

/// Orders two PEP 440 versions: -1, 0 or 1 (invalid input as above). Never allocates.
int ComparePep440(std::string_view a, std::string_view b);

}  // namespace bulkhead::version
