// The version schemes that vulnerability matching needs, behind one enum: a name for
// each, lookup by name, and a dispatcher to each scheme's total order.
//
// Each scheme's own header documents its rules and what it does with strings the
// scheme rejects; in short, every comparison here is a deterministic total order on
// arbitrary bytes (Maven's, faithfully, is not transitive on some odd inputs; see
// maven_version.h): it never fails, never throws, never loops on hostile input, and
// compares numbers of any length without overflow.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: ParseScheme returns InvalidArgument for an unknown name; nothing else fails.
// Allocation: Compare never allocates for kDpkg, kApk and kRpm (nor for kSemver, kNuGet,
// kPep440 and kGem); kMaven allocates. SchemeName returns a view of a static string.
#pragma once

#include <cstdint>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::version {

enum class Scheme : uint8_t {
  kDpkg,    ///< Debian and Ubuntu packages (dpkg_version.h).
  kApk,     ///< Alpine and Wolfi packages (apk_version.h).
  kRpm,     ///< RPM packages: Red Hat, AlmaLinux, Rocky, Fedora, SUSE (rpm_version.h).
  kSemver,  ///< SemVer 2.0.0: npm, Go modules, crates.io, Hex (semver.h).
  kNuGet,   ///< NuGet: SemVer with a fourth number, case-insensitive labels (semver.h).
  kPep440,  ///< Python packages (pep440.h).
  kMaven,   ///< Maven artifacts (maven_version.h).
  kGem,     ///< RubyGems (gem_version.h).
};

/// Every scheme, in enum order.
inline constexpr Scheme kAllSchemes[] = {Scheme::kDpkg,   Scheme::kApk,   Scheme::kRpm,
                                         Scheme::kSemver, Scheme::kNuGet, Scheme::kPep440,
                                         Scheme::kMaven,  Scheme::kGem};

/// A stable lower-case name: "dpkg", "apk", "rpm", "semver", "nuget", "pep440",
/// "maven", "gem".
std::string_view SchemeName(Scheme scheme);

/// The scheme for a name, ignoring ASCII case: each SchemeName, or an ecosystem that
/// uses it ("debian", "ubuntu", "alpine", "wolfi", "red hat", "almalinux", "rocky
/// linux", "fedora", "opensuse", "suse", "npm", "go", "crates.io", "cargo", "hex",
/// "pypi", "rubygems"). InvalidArgument for anything else.
Result<Scheme> ParseScheme(std::string_view name);

/// Orders `a` and `b` under `scheme`: -1 when a < b, 0 when they are equal versions
/// (which need not be equal strings: "1.0" and "1" under PEP 440), 1 when a > b.
/// Antisymmetric: Compare(s, a, b) == -Compare(s, b, a).
int Compare(Scheme scheme, std::string_view a, std::string_view b);

/// True when `v` is well-formed under `scheme` (the scheme header's IsValid...).
/// Every string is a Maven version; every non-empty string is an RPM version.
bool IsValid(Scheme scheme, std::string_view v);

}  // namespace bulkhead::version
