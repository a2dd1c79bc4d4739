#include "bulkhead/version/semver.h"

#include <array>
#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::CompareDigits;
using internal::IsDigit;

enum class Flavor { kStrict, kGo, kNuGet };

struct Parsed {
  bool ok = false;
  std::array<std::string_view, 4> numbers{};  // missing numbers are empty (zero)
  std::string_view pre;                       // without the '-'; empty when absent
  bool has_pre = false;
};

bool IsIdentifierChar(char c) { return internal::IsAlnum(c) || c == '-'; }

// Checks a dot-separated list of non-empty [0-9A-Za-z-] identifiers; when
// `no_leading_zeros`, a numeric identifier other than "0" must not start with '0'.
bool ValidIdentifiers(std::string_view s, bool no_leading_zeros) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view id = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (id.empty()) return false;
    for (char c : id) {
      if (!IsIdentifierChar(c)) return false;
    }
    if (no_leading_zeros && id.size() > 1 && id[0] == '0' && internal::DigitRun(id) == id.size()) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

Parsed Parse(std::string_view v, Flavor flavor) {
  Parsed p;
  if (flavor != Flavor::kNuGet && !v.empty() && v[0] == 'v') v.remove_prefix(1);
  size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    if (!ValidIdentifiers(v.substr(plus + 1), false)) return p;
    v = v.substr(0, plus);
  }
  size_t hyphen = v.find('-');
  if (hyphen != std::string_view::npos) {
    p.pre = v.substr(hyphen + 1);
    p.has_pre = true;
    if (!ValidIdentifiers(p.pre, flavor != Flavor::kNuGet)) return p;
    v = v.substr(0, hyphen);
  }
  size_t count = 0;
  const size_t max_count = flavor == Flavor::kNuGet ? 4 : 3;
  while (true) {
    size_t n = internal::DigitRun(v);
    if (n == 0 || count == max_count) return p;
    std::string_view number = v.substr(0, n);
    if (flavor != Flavor::kNuGet && n > 1 && number[0] == '0') return p;
    p.numbers[count++] = number;
    v.remove_prefix(n);
    if (v.empty()) break;
    if (v[0] != '.') return p;
    v.remove_prefix(1);
  }
  switch (flavor) {
    case Flavor::kStrict:
      if (count != 3) return p;
      break;
    case Flavor::kGo:
      // "v1" and "v1.2" only without a pre-release or build.
      if (count != 3 && (p.has_pre || plus != std::string_view::npos)) return p;
      break;
    case Flavor::kNuGet:
      break;
  }
  p.ok = true;
  return p;
}

// Compares dot-separated pre-release identifier lists, both non-empty.
int ComparePreRelease(std::string_view a, std::string_view b, bool ignore_case) {
  while (true) {
    size_t da = a.find('.');
    size_t db = b.find('.');
    std::string_view ia = a.substr(0, da);
    std::string_view ib = b.substr(0, db);
    bool na = internal::DigitRun(ia) == ia.size();
    bool nb = internal::DigitRun(ib) == ib.size();
    int r;
    if (na && nb) {
      r = CompareDigits(ia, ib);
    } else if (na != nb) {
      r = na ? -1 : 1;
    } else {
      r = ignore_case ? internal::CompareIgnoreCase(ia, ib) : internal::CompareBytes(ia, ib);
    }
    if (r != 0) return r;
    bool more_a = da != std::string_view::npos;
    bool more_b = db != std::string_view::npos;
    if (!more_a || !more_b) {
      if (more_a == more_b) return 0;
      return more_a ? 1 : -1;
    }
    a.remove_prefix(da + 1);
    b.remove_prefix(db + 1);
  }
}

int CompareParsed(const Parsed& a, const Parsed& b, bool ignore_case) {
  for (size_t i = 0; i < a.numbers.size(); ++i) {
    if (int r = CompareDigits(a.numbers[i], b.numbers[i]); r != 0) return r;
  }
  if (a.has_pre != b.has_pre) return a.has_pre ? -1 : 1;
  if (!a.has_pre) return 0;
  return ComparePreRelease(a.pre, b.pre, ignore_case);
}

int CompareWith(std::string_view a, std::string_view b, Flavor flavor) {
  Parsed pa = Parse(a, flavor);
  Parsed pb = Parse(b, flavor);
  if (pa.ok != pb.ok) return pa.ok ? 1 : -1;
  if (!pa.ok) return internal::CompareBytes(a, b);
  return CompareParsed(pa, pb, flavor == Flavor::kNuGet);
}

}  // namespace

bool IsValidSemver(std::string_view v) { return Parse(v, Flavor::kStrict).ok; }

int CompareSemver(std::string_view a, std::string_view b) { return CompareWith(a, b, Flavor::kGo); }

bool IsValidNuGetVersion(std::string_view v) { return Parse(v, Flavor::kNuGet).ok; }

int CompareNuGetVersions(std::string_view a, std::string_view b) {
  return CompareWith(a, b, Flavor::kNuGet);
}

}  // namespace bulkhead::version
