// RPM versions ([epoch:]version[-release], "EVR") and their total order, after rpm's
// rpmvercmp (rpmio/rpmvercmp.c) and rpmverCmp (lib/rpmver.c): alphanumeric segments are
// compared one by one (digit runs as numbers, which beat letter runs; letter runs
// bytewise), every other character only separates segments, '~' sorts before
// everything (even the end of the string) and '^' after the end but before anything else.
//
// Thread-safety: every function is pure and safe to call from any thread.
// Errors: none; every string is an RPM version and comparison never allocates. Numbers
// of any length are compared without overflow. Non-ASCII bytes are separators, as in rpm.
//
// A missing release sorts before any release, even an empty one ("1.0" < "1.0-" <
// "1.0-0" < "1.0-1"), as rpm 4.18's rpm.vercmp orders full EVR strings (checked by
// rpm_version_test against the installed rpm).
#pragma once

#include <string_view>

namespace bulkhead::version {

/// Orders two RPM EVR strings: -1, 0 or 1. The epoch is the run of digits before a ':'
/// at the very start (missing means 0); the release follows the last '-'. Never
/// allocates.
int CompareRpmVersions(std::string_view a, std::string_view b);

/// rpmvercmp itself, on one field (a version or a release, no epoch split): -1, 0 or 1.
/// Never allocates.
int RpmVerCmp(std::string_view a, std::string_view b);

}  // namespace bulkhead::version
