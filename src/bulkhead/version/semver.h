// Semantic versions (SemVer 2.0.0) as npm, Go modules, cargo and Hex order them, and
// NuGet versions, which extend SemVer with a fourth number and case-insensitive labels.
//
// SemVer order: major.minor.patch numerically, then a version with a pre-release sorts
// before the same version without one; pre-release identifiers compare one by one
// (numeric ones as numbers, below alphanumeric ones, which compare bytewise in ASCII),
// and a shorter list of equal identifiers sorts first. Build metadata after '+' is
// ignored, so Go's "+incompatible" never changes the order. A leading 'v' is accepted
// (Go's "v1.2.3", npm's "v1.2.3"), and so are Go's shorthands "v1" and "v1.2" (meaning
// v1.0.0 and v1.2.0) when no pre-release or build follows.
//
// NuGet order: one to four numbers (missing ones are 0, leading zeros allowed, so
// "1.0" == "1.0.0.0" and "1.0.01" == "1.0.1"), then pre-release labels as in SemVer but
// compared without regard to case; build metadata is ignored.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none; comparison never fails and never allocates. Invalid input has a fixed
// place in the order: every string that does not parse sorts before every string that
// does, and invalid strings order among themselves bytewise. So the order is total and
// deterministic on any input. Numbers of any length are compared without overflow.
#pragma once

#include <string_view>

namespace bulkhead::version {

/// True when `v` is a SemVer 2.0.0 version, optionally prefixed by 'v': three numbers
/// without leading zeros, an optional pre-release of non-empty [0-9A-Za-z-] identifiers
/// (numeric ones without leading zeros) and optional build metadata. Go's shorthands
/// ("v1.2") are not valid here, though CompareSemver accepts them.
bool IsValidSemver(std::string_view v);

/// Orders two semantic versions: -1, 0 or 1 (see above for invalid input). Never
/// allocates.
int CompareSemver(std::string_view a, std::string_view b);

/// True when `v` is a NuGet version: one to four dot-separated numbers (leading zeros
/// allowed), then optionally '-' and dot-separated non-empty [0-9A-Za-z-] labels, then
/// optionally '+' and build metadata.
bool IsValidNuGetVersion(std::string_view v);

/// Orders two NuGet versions: -1, 0 or 1 (invalid input as above). Never allocates.
int CompareNuGetVersions(std::string_view a, std::string_view b);

}  // namespace bulkhead::version
