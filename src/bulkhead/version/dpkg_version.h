// Debian package versions ([epoch:]upstream[-revision]) and their total order, exactly as
// dpkg orders them (lib/dpkg/version.c: epoch, then upstream, then revision, each string
// compared by verrevcmp: '~' before the end of a part, letters before other symbols,
// digit runs as numbers).
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none. Comparison never fails and never allocates: it scans the two views.
// Inputs that dpkg would reject outright (an epoch that is not a number, an empty
// revision after '-', an empty upstream version) are still ordered, deterministically:
// a prefix before the first ':' that is not a number (digits, with an optional sign as
// dpkg's strtol reads it) is not an epoch, so the whole string up to the last '-' is
// the upstream version; an empty part compares as "". Inputs dpkg only warns about (an
// upstream version not starting with a digit, odd characters) are ordered exactly as
// dpkg orders them. Leading and trailing blanks are ignored, as dpkg does. Numbers of
// any length are compared without overflow.
#pragma once

#include <string_view>

namespace bulkhead::version {

/// Orders two Debian versions: -1 when a < b, 0 when equal (e.g. "1.0" and "0:1.0-0"),
/// 1 when a > b. Never allocates.
int CompareDpkgVersions(std::string_view a, std::string_view b);

/// True when dpkg would accept `v` without an error or a warning: an optional numeric
/// epoch below 2^31 followed by ':', an upstream version that starts with a digit and
/// holds only [A-Za-z0-9.+~:-] (':' only with an epoch, '-' only with a revision), and an
/// optional non-empty revision of [A-Za-z0-9.+~]. Blanks at either end are allowed.
bool IsValidDpkgVersion(std::string_view v);

}  // namespace bulkhead::version
