#include "bulkhead/version/pep440.h"

#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::CompareDigits;
using internal::IsDigit;

enum PreKind : int { kNoPre = 0, kAlpha, kBeta, kRc };

struct Pep440 {
  bool ok = false;
  std::string_view epoch;    // digits; empty means 0
  std::string_view release;  // digits separated by '.'
  int pre = kNoPre;
  std::string_view pre_number;
  bool has_post = false;
  std::string_view post_number;
  bool has_dev = false;
  std::string_view dev_number;
  bool has_local = false;
  std::string_view local;  // alphanumeric segments separated by '-', '_' or '.'
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsSeparator(char c) { return c == '-' || c == '_' || c == '.'; }

// A cursor over the version text.
struct Cursor {
  std::string_view s;
  size_t pos = 0;

  bool AtEnd() const { return pos >= s.size(); }
  char Peek(size_t ahead = 0) const { return pos + ahead < s.size() ? s[pos + ahead] : '\0'; }
  void SkipSeparator() {
    if (IsSeparator(Peek())) ++pos;
  }
  std::string_view Digits() {
    size_t n = internal::DigitRun(s.substr(pos));
    std::string_view d = s.substr(pos, n);
    pos += n;
    return d;
  }
  // Consumes the first of `labels` (longest first where one is a prefix of another)
  // found here, ignoring case; returns its index or -1.
  template <size_t N>
  int Label(const std::string_view (&labels)[N]) {
    for (size_t i = 0; i < N; ++i) {
      std::string_view l = labels[i];
      if (s.size() - pos >= l.size() && internal::EqualsIgnoreCase(s.substr(pos, l.size()), l)) {
        pos += l.size();
        return static_cast<int>(i);
      }
    }
    return -1;
  }
};

// Parses an optional "[sep]label[sep][digits]" part; returns the label index or -1 (and
// then leaves the cursor where it was).
template <size_t N>
int LabeledPart(Cursor& c, const std::string_view (&labels)[N], std::string_view* number) {
  size_t start = c.pos;
  c.SkipSeparator();
  int label = c.Label(labels);
  if (label < 0) {
    c.pos = start;
    return -1;
  }
  c.SkipSeparator();
  *number = c.Digits();
  return label;
}

Pep440 Parse(std::string_view v) {
  static constexpr std::string_view kPreLabels[] = {"alpha",   "a",   "beta", "b",
                                                    "preview", "pre", "c",    "rc"};
  static constexpr int kPreKinds[] = {kAlpha, kAlpha, kBeta, kBeta, kRc, kRc, kRc, kRc};
  static constexpr std::string_view kPostLabels[] = {"post", "rev", "r"};
  static constexpr std::string_view kDevLabels[] = {"dev"};

  Pep440 p;
  while (!v.empty() && IsSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsSpace(v.back())) v.remove_suffix(1);
  Cursor c{v};
  if (c.Peek() == 'v' || c.Peek() == 'V') ++c.pos;

  size_t n = internal::DigitRun(v.substr(c.pos));
  if (n == 0) return p;
  if (c.Peek(n) == '!') {
    p.epoch = v.substr(c.pos, n);
    c.pos += n + 1;
  }
  size_t release_start = c.pos;
  if (c.Digits().empty()) return p;
  while (c.Peek() == '.' && IsDigit(c.Peek(1))) {
    ++c.pos;
    c.Digits();
  }
  p.release = v.substr(release_start, c.pos - release_start);

  int pre = LabeledPart(c, kPreLabels, &p.pre_number);
  if (pre >= 0) p.pre = kPreKinds[pre];

  if (c.Peek() == '-' && IsDigit(c.Peek(1))) {
    ++c.pos;
    p.has_post = true;
    p.post_number = c.Digits();
  } else if (LabeledPart(c, kPostLabels, &p.post_number) >= 0) {
    p.has_post = true;
  }
  if (LabeledPart(c, kDevLabels, &p.dev_number) >= 0) p.has_dev = true;

  if (c.Peek() == '+') {
    ++c.pos;
    size_t local_start = c.pos;
    while (true) {
      size_t seg = 0;
      while (internal::IsAlnum(c.Peek(seg))) ++seg;
      if (seg == 0) return p;
      c.pos += seg;
      if (!IsSeparator(c.Peek())) break;
      ++c.pos;
    }
    p.has_local = true;
    p.local = v.substr(local_start, c.pos - local_start);
  }
  p.ok = c.AtEnd();
  return p;
}

// Splits off the next component of `s` at any of `separators`.
std::string_view NextComponent(std::string_view* s, bool any_separator) {
  size_t end = 0;
  while (end < s->size() && !(any_separator ? IsSeparator((*s)[end]) : (*s)[end] == '.')) ++end;
  std::string_view part = s->substr(0, end);
  s->remove_prefix(end < s->size() ? end + 1 : end);
  return part;
}

int CompareRelease(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    // A missing component is empty, which CompareDigits reads as 0.
    if (int r = CompareDigits(NextComponent(&a, false), NextComponent(&b, false)); r != 0) {
      return r;
    }
  }
  return 0;
}

int CompareLocal(std::string_view a, std::string_view b) {
  while (!a.empty() && !b.empty()) {
    std::string_view sa = NextComponent(&a, true);
    std::string_view sb = NextComponent(&b, true);
    bool na = internal::DigitRun(sa) == sa.size();
    bool nb = internal::DigitRun(sb) == sb.size();
    int r;
    if (na && nb) {
      r = CompareDigits(sa, sb);
    } else if (na != nb) {
      r = na ? 1 : -1;
    } else {
      r = internal::CompareIgnoreCase(sa, sb);
    }
    if (r != 0) return r;
  }
  if (a.empty() == b.empty()) return 0;
  return a.empty() ? -1 : 1;
}

// Rank of the pre-release slot: a dev release of the version itself (no pre, no post)
// sorts first, then pre-releases, then everything without a pre-release.
int PreRank(const Pep440& v) {
  if (v.pre != kNoPre) return 1;
  if (!v.has_post && v.has_dev) return 0;
  return 2;
}

int CompareParsed(const Pep440& a, const Pep440& b) {
  if (int r = CompareDigits(a.epoch, b.epoch); r != 0) return r;
  if (int r = CompareRelease(a.release, b.release); r != 0) return r;
  int ra = PreRank(a);
  int rb = PreRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 1) {
    if (a.pre != b.pre) return a.pre < b.pre ? -1 : 1;
    if (int r = CompareDigits(a.pre_number, b.pre_number); r != 0) return r;
  }
  if (a.has_post != b.has_post) return a.has_post ? 1 : -1;
  if (int r = CompareDigits(a.post_number, b.post_number); r != 0) return r;
  if (a.has_dev != b.has_dev) return a.has_dev ? -1 : 1;
  if (int r = CompareDigits(a.dev_number, b.dev_number); r != 0) return r;
  if (a.has_local != b.has_local) return a.has_local ? 1 : -1;
  return CompareLocal(a.local, b.local);
}

}  // namespace

bool IsValidPep440(std::string_view v) { return Parse(v).ok; }

int ComparePep440(std::string_view a, std::string_view b) {
  Pep440 pa = Parse(a);
  Pep440 pb = Parse(b);
  if (pa.ok != pb.ok) return pa.ok ? 1 : -1;
  if (!pa.ok) return internal::CompareBytes(a, b);
  return CompareParsed(pa, pb);
}

}  // namespace bulkhead::version
