// Maven versions and their total order, as Maven's ComparableVersion (maven-artifact
// 3.8) orders them. Every string is a Maven version.
//
// A version is split into items at '.', at '-' and at each switch between digits and
// non-digits; '-' and the digit switches open a nested list. Numbers compare as numbers
// (leading zeros dropped). Qualifiers compare by rank: alpha < beta < milestone < rc
// (= cr) < snapshot < "" (= ga = final = release) < sp < any other qualifier, and other
// qualifiers compare among themselves alphabetically, ignoring case; "a1", "b1", "m1"
// mean alpha-1, beta-1, milestone-1. Trailing zeros and release qualifiers are dropped
// in every list ("1.0.0" == "1" == "1-ga"), and a missing item compares like 0 or "".
// A qualifier that ends the version or runs into digits after a '.' opens a list as
// '-' would (1.0.0.X1 == 1-X-1). So 1.0-alpha-1 < 1.0-beta < 1.0-rc1 < 1.0-SNAPSHOT <
// 1.0 < 1.0-sp1 < 1.0-foo < 1.0-1 < 1.0.1.
//
// The order is Maven's, including its one flaw: ComparableVersion is antisymmetric but
// not transitive when a qualifier and a nested list meet at the same position, as in
// 1.xyz.2 > 1 > 1-beta yet 1.xyz.2 < 1-beta (checked against maven-artifact 3.8.7).
// bulkhead keeps Maven's answers rather than inventing an order Maven does not use.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none; comparison never fails. It allocates (the parsed items of both
// versions), unlike the dpkg, apk and rpm comparisons. It does not recurse, so deeply
// nested input cannot exhaust the stack, and numbers of any length are compared without
// overflow. Only ASCII digits and letters are classified: Maven would lowercase and
// treat non-ASCII letters and digits by Unicode rules; here they are plain bytes.
#pragma once

#include <string_view>

namespace bulkhead::version {

/// Orders two Maven versions: -1, 0 or 1.
int CompareMavenVersions(std::string_view a, std::string_view b);

}  // namespace bulkhead::version
