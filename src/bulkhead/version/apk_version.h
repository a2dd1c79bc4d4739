// Alpine (apk) package versions and their total order, following apk-tools 3
// (src/version.c): number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}, compared
// token by token. The first number compares numerically; a later number compares
// numerically unless either side starts with '0', when it compares as a string (the
// Gentoo rule: 1.02 < 1.1). Suffixes order as _alpha < _beta < _pre < _rc < (none) <
// _cvs < _svn < _git < _hg < _p. Where two versions first differ in the kind of token,
// a pre-release suffix is smallest, then the end of the version, then -rN, ~hash, a
// post-release suffix, a letter, and a further number is biggest:
// 1.2_rc1 < 1.2 < 1.2-r1 < 1.2_p1 < 1.2a < 1.2.1.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none. Comparison never fails and never allocates. Invalid input is ordered
// as apk-tools 3 orders it: tokens are compared up to the first one that does not fit
// the grammar, and a version that turns invalid there sorts below every valid
// continuation except a pre-release suffix (1.2_rc1 < 1.2_blah < 1.2 < 1.2a).
// apk-tools calls two versions equal when both turn invalid at the same token; here
// their remaining bytes then decide, so that two different invalid strings are never
// equal (0..1..0 < 0..1..1). Numbers of any length are compared without overflow
// (apk-tools wraps them at 2^64).
#pragma once

#include <string_view>

namespace bulkhead::version {

/// Orders two apk versions: -1, 0 or 1. Never allocates.
int CompareApkVersions(std::string_view a, std::string_view b);

/// True when `v` fits the apk version grammar (apk-tools' apk_version_validate), e.g.
/// "1.2.3_rc1-r0", "2.4a_p20230101~0ab1-r12".
bool IsValidApkVersion(std::string_view v);

}  // namespace bulkhead::version
