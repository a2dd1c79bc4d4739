#include "bulkhead/version/rpm_version.h"

#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::IsAlnum;
using internal::IsAlpha;
using internal::IsDigit;

struct Evr {
  std::string_view epoch;  // digits; empty means 0
  std::string_view version;
  std::string_view release;
  bool has_release = false;
};

// Splits like rpm's parseEVR: an epoch only when the leading digit run ends in ':', the
// release after the last '-' of what follows.
Evr Split(std::string_view s) {
  Evr evr;
  size_t digits = internal::DigitRun(s);
  if (digits < s.size() && s[digits] == ':') {
    evr.epoch = s.substr(0, digits);
    s.remove_prefix(digits + 1);
  }
  size_t hyphen = s.rfind('-');
  if (hyphen != std::string_view::npos) {
    evr.release = s.substr(hyphen + 1);
    evr.has_release = true;
    s = s.substr(0, hyphen);
  }
  evr.version = s;
  return evr;
}

bool IsSeparator(char c) { return !IsAlnum(c) && c != '~' && c != '^'; }

}  // namespace

int RpmVerCmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  size_t i = 0;
  size_t j = 0;
  const size_t na = a.size();
  const size_t nb = b.size();
  while (i < na || j < nb) {
    while (i < na && IsSeparator(a[i])) ++i;
    while (j < nb && IsSeparator(b[j])) ++j;

    // '~' sorts before everything else, the end of the string included.
    bool a_tilde = i < na && a[i] == '~';
    bool b_tilde = j < nb && b[j] == '~';
    if (a_tilde || b_tilde) {
      if (!a_tilde) return 1;
      if (!b_tilde) return -1;
      ++i;
      ++j;
      continue;
    }
    // '^' sorts after the end of the string but before anything else.
    bool a_caret = i < na && a[i] == '^';
    bool b_caret = j < nb && b[j] == '^';
    if (a_caret || b_caret) {
      if (i >= na) return -1;
      if (j >= nb) return 1;
      if (!a_caret) return 1;
      if (!b_caret) return -1;
      ++i;
      ++j;
      continue;
    }
    if (i >= na || j >= nb) break;

    // One segment: a digit run or a letter run, typed by a's character.
    size_t a_end = i;
    size_t b_end = j;
    bool numeric = IsDigit(a[i]);
    if (numeric) {
      while (a_end < na && IsDigit(a[a_end])) ++a_end;
      while (b_end < nb && IsDigit(b[b_end])) ++b_end;
    } else {
      while (a_end < na && IsAlpha(a[a_end])) ++a_end;
      while (b_end < nb && IsAlpha(b[b_end])) ++b_end;
    }
    // b's segment is of the other type (empty here): digits beat letters.
    if (b_end == j) return numeric ? 1 : -1;
    std::string_view sa = a.substr(i, a_end - i);
    std::string_view sb = b.substr(j, b_end - j);
    int r = numeric ? internal::CompareDigits(sa, sb) : internal::CompareBytes(sa, sb);
    if (r != 0) return r;
    i = a_end;
    j = b_end;
  }
  // All segments equal: whichever still has characters left wins.
  if (i >= na && j >= nb) return 0;
  return i >= na ? -1 : 1;
}

int CompareRpmVersions(std::string_view a, std::string_view b) {
  Evr ea = Split(a);
  Evr eb = Split(b);
  if (int r = internal::CompareDigits(ea.epoch, eb.epoch); r != 0) return r;
  if (int r = RpmVerCmp(ea.version, eb.version); r != 0) return r;
  if (ea.has_release != eb.has_release) return ea.has_release ? 1 : -1;
  return RpmVerCmp(ea.release, eb.release);
}

}  // namespace bulkhead::version
