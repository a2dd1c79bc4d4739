#include "bulkhead/version/dpkg_version.h"

#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::CompareDigits;
using internal::IsAlpha;
using internal::IsDigit;

struct DpkgParts {
  std::string_view epoch;  // digits only; empty means 0
  std::string_view upstream;
  std::string_view revision;
  bool has_epoch = false;
  bool has_revision = false;
};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

DpkgParts Split(std::string_view v) {
  DpkgParts p;
  v = TrimBlanks(v);
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    std::string_view prefix = v.substr(0, colon);
    // dpkg reads the epoch with strtol, which takes a sign.
    if (!prefix.empty() && (prefix[0] == '+' || prefix[0] == '-')) prefix.remove_prefix(1);
    if (internal::DigitRun(prefix) == prefix.size() && (!prefix.empty() || colon == 0)) {
      p.epoch = prefix;
      p.has_epoch = true;
      v.remove_prefix(colon + 1);
    }
  }
  size_t hyphen = v.rfind('-');
  if (hyphen != std::string_view::npos) {
    p.revision = v.substr(hyphen + 1);
    p.has_revision = true;
    v = v.substr(0, hyphen);
  }
  p.upstream = v;
  return p;
}

// dpkg's order() weight of one character. dpkg reads `char`, which is signed on the
// platforms it targets, so a byte >= 0x80 weighs (byte - 256) + 256, i.e. its unsigned
// value, which lands between the letters and the other symbols.
int Order(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  char c = s[i];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  int signed_value = static_cast<signed char>(c);
  return signed_value + 256;
}

// dpkg's verrevcmp over string views, for one part (upstream or revision).
int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = Order(a, i);
      int bc = Order(b, j);
      if (ac != bc) return ac < bc ? -1 : 1;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    // The loop above stops only at a digit or at the end, so i <= a.size(), j <= b.size().
    size_t a_end = i + internal::DigitRun(a.substr(i));
    size_t b_end = j + internal::DigitRun(b.substr(j));
    int r = CompareDigits(a.substr(i, a_end - i), b.substr(j, b_end - j));
    if (r != 0) return r;
    i = a_end;
    j = b_end;
  }
  return 0;
}

bool AllOf(std::string_view s, bool (*ok)(char)) {
  for (char c : s) {
    if (!ok(c)) return false;
  }
  return true;
}

}  // namespace

int CompareDpkgVersions(std::string_view a, std::string_view b) {
  DpkgParts pa = Split(a);
  DpkgParts pb = Split(b);
  if (int r = CompareDigits(pa.epoch, pb.epoch); r != 0) return r;
  if (int r = VerRevCmp(pa.upstream, pb.upstream); r != 0) return r;
  return VerRevCmp(pa.revision, pb.revision);
}

bool IsValidDpkgVersion(std::string_view v) {
  v = TrimBlanks(v);
  if (v.empty()) return false;
  DpkgParts p = Split(v);
  size_t colon = v.find(':');
  if (colon != std::string_view::npos) {
    // The prefix must be a number in [0, INT_MAX] (strtol's sign is allowed).
    if (!p.has_epoch || p.epoch.empty()) return false;
    if (CompareDigits(p.epoch, "2147483647") > 0) return false;
    if (v[0] == '-' && !internal::IsZeroDigits(p.epoch)) return false;
  }
  if (p.upstream.empty() || !IsDigit(p.upstream.front())) return false;
  if (p.has_revision && p.revision.empty()) return false;
  auto upstream_ok = [](char c) {
    return internal::IsAlnum(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':';
  };
  auto revision_ok = [](char c) {
    return internal::IsAlnum(c) || c == '.' || c == '+' || c == '~';
  };
  return AllOf(p.upstream, upstream_ok) && AllOf(p.revision, revision_ok);
}

}  // namespace bulkhead::version
