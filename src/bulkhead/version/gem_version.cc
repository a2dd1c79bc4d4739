#include "bulkhead/version/gem_version.h"

#include <cstddef>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::IsAlnum;
using internal::IsAlpha;
using internal::IsDigit;

struct Segment {
  enum Kind { kEnd, kNumber, kString } kind = kEnd;
  std::string_view text;
};

// Yields the canonical segments of a version one at a time: digit runs, letter runs and
// "pre" for each '-', with the zeros that end the leading numeric part skipped when a
// string segment follows them (Gem::Version#canonical_segments; trailing zeros at the
// very end need no skipping because a missing segment compares as 0 anyway).
class Segments {
 public:
  explicit Segments(std::string_view s) : s_(s) {}

  Segment Next() {
    while (true) {
      Segment seg = Raw();
      if (seg.kind == Segment::kString) seen_string_ = true;
      if (seen_string_ || seg.kind != Segment::kNumber || !internal::IsZeroDigits(seg.text)) {
        return seg;
      }
      // A zero in the numeric part: skip it if only zeros lie between it and the first
      // string segment.
      if (!OnlyZerosUntilString(pos_)) return seg;
    }
  }

 private:
  Segment Raw() { return RawAt(&pos_); }

  Segment RawAt(size_t* pos) const {
    while (*pos < s_.size()) {
      char c = s_[*pos];
      if (c == '-') {
        ++*pos;
        return {Segment::kString, "pre"};
      }
      if (IsDigit(c) || IsAlpha(c)) {
        size_t start = *pos;
        bool digits = IsDigit(c);
        while (*pos < s_.size() && (digits ? IsDigit(s_[*pos]) : IsAlpha(s_[*pos]))) ++*pos;
        return {digits ? Segment::kNumber : Segment::kString, s_.substr(start, *pos - start)};
      }
      ++*pos;
    }
    return {};
  }

  // True when the segments from `pos` are zeros up to a string segment. The answer holds
  // for the whole run of zeros, so it is remembered until the run is passed.
  bool OnlyZerosUntilString(size_t pos) {
    if (pos <= zero_run_end_) return zero_run_skippable_;
    Segment seg;
    do {
      seg = RawAt(&pos);
    } while (seg.kind == Segment::kNumber && internal::IsZeroDigits(seg.text));
    zero_run_end_ = pos;
    zero_run_skippable_ = seg.kind == Segment::kString;
    return zero_run_skippable_;
  }

  std::string_view s_;
  size_t pos_ = 0;
  bool seen_string_ = false;
  size_t zero_run_end_ = 0;
  bool zero_run_skippable_ = false;
};

int CompareSegments(const Segment& a, const Segment& b) {
  // A missing segment is the number 0.
  bool a_string = a.kind == Segment::kString;
  bool b_string = b.kind == Segment::kString;
  if (a_string != b_string) return a_string ? -1 : 1;
  if (a_string) return internal::CompareBytes(a.text, b.text);
  return internal::CompareDigits(a.text, b.text);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Consumes "[A]+(\.[A]+)*" where A is [0-9A-Za-z] (plus '-' when `hyphen`).
bool DottedRuns(std::string_view* s, bool hyphen) {
  while (true) {
    size_t n = 0;
    while (n < s->size() && (IsAlnum((*s)[n]) || (hyphen && (*s)[n] == '-'))) ++n;
    if (n == 0) return false;
    s->remove_prefix(n);
    if (s->empty() || (*s)[0] != '.') return true;
    s->remove_prefix(1);
  }
}

}  // namespace

bool IsValidGemVersion(std::string_view v) {
  while (!v.empty() && IsSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsSpace(v.back())) v.remove_suffix(1);
  if (v.empty()) return true;  // Gem::Version treats a blank version as "0"
  size_t n = internal::DigitRun(v);
  if (n == 0) return false;
  v.remove_prefix(n);
  if (!v.empty() && v[0] == '.') {
    v.remove_prefix(1);
    // "(\.[0-9a-zA-Z]+)*": the runs after the first dot, up to an optional '-'.
    size_t hyphen = v.find('-');
    std::string_view dotted = v.substr(0, hyphen);
    if (!DottedRuns(&dotted, false) || !dotted.empty()) return false;
    v.remove_prefix(hyphen == std::string_view::npos ? v.size() : hyphen);
  }
  if (v.empty()) return true;
  if (v[0] != '-') return false;
  v.remove_prefix(1);
  return DottedRuns(&v, true) && v.empty();
}

int CompareGemVersions(std::string_view a, std::string_view b) {
  Segments sa(a);
  Segments sb(b);
  while (true) {
    Segment x = sa.Next();
    Segment y = sb.Next();
    if (x.kind == Segment::kEnd && y.kind == Segment::kEnd) return 0;
    if (int r = CompareSegments(x, y); r != 0) return r;
  }
}

}  // namespace bulkhead::version
