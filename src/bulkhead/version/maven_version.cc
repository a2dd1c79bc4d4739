#include "bulkhead/version/maven_version.h"

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bulkhead/version/internal/chars.h"

namespace bulkhead::version {
namespace {

using internal::EqualsIgnoreCase;
using internal::IsDigit;

// Ranks of the known qualifiers; any other qualifier ranks kUnknownRank.
constexpr int kReleaseRank = 5;
constexpr int kUnknownRank = 7;

// One item that is not a list: a number or a qualifier.
struct Scalar {
  bool is_number = false;
  std::string_view text;  // digits without leading zeros, or the qualifier as written
  int rank = 0;           // qualifiers only
};

int QualifierRank(std::string_view q, bool followed_by_digit) {
  if (followed_by_digit && q.size() == 1) {
    switch (internal::ToLower(q[0])) {
      case 'a':
        return 0;
      case 'b':
        return 1;
      case 'm':
        return 2;
      default:
        break;
    }
  }
  static constexpr struct {
    std::string_view name;
    int rank;
  } kQualifiers[] = {{"alpha", 0}, {"beta", 1},     {"milestone", 2}, {"rc", 3},
                     {"cr", 3},    {"snapshot", 4}, {"", 5},          {"ga", 5},
                     {"final", 5}, {"release", 5},  {"sp", 6}};
  for (const auto& known : kQualifiers) {
    if (EqualsIgnoreCase(q, known.name)) return known.rank;
  }
  return kUnknownRank;
}

bool IsNull(const Scalar& s) { return s.is_number ? s.text.empty() : s.rank == kReleaseRank; }

// A parsed version. ComparableVersion builds a chain of lists: every '-' or digit switch
// appends a new list as the last item of the current one and continues inside it. So
// the version is stored as levels: level k holds scalars_[level_begin_[k] ..
// level_begin_[k + 1]), followed by level k + 1 as its last item while k + 1 < depth().
class MavenVersion {
 public:
  explicit MavenVersion(std::string_view v) {
    Parse(v);
    Normalize();
  }

  size_t depth() const { return level_begin_.size() - 1; }
  size_t ScalarCount(size_t level) const { return level_begin_[level + 1] - level_begin_[level]; }
  const Scalar& At(size_t level, size_t i) const { return scalars_[level_begin_[level] + i]; }
  bool HasChild(size_t level) const { return level + 1 < depth(); }
  size_t ItemCount(size_t level) const { return ScalarCount(level) + (HasChild(level) ? 1 : 0); }

 private:
  void Parse(std::string_view v) {
    level_begin_.push_back(0);
    bool is_digit = false;
    size_t start = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      char c = v[i];
      if (c == '.' || c == '-') {
        if (i == start) {
          AddNumber("");
        } else {
          AddItem(is_digit, v.substr(start, i - start), false);
        }
        start = i + 1;
        if (c == '-') OpenList();
      } else if (IsDigit(c)) {
        if (!is_digit && i > start) {
          // A qualifier right before a number: ".X1" is read as "-X1".
          if (!CurrentListEmpty()) OpenList();
          AddItem(false, v.substr(start, i - start), true);
          start = i;
          OpenList();
        }
        is_digit = true;
      } else {
        if (is_digit && i > start) {
          AddItem(true, v.substr(start, i - start), false);
          start = i;
          OpenList();
        }
        is_digit = false;
      }
    }
    if (v.size() > start) {
      // A qualifier at the very end: ".X" is read as "-X" (1.0.0.X1 < 1.0.0-X2).
      if (!is_digit && !CurrentListEmpty()) OpenList();
      AddItem(is_digit, v.substr(start), false);
    }
    level_begin_.push_back(scalars_.size());
  }

  void AddNumber(std::string_view digits) {
    scalars_.push_back({true, internal::StripLeadingZeros(digits), 0});
  }
  void AddItem(bool is_digit, std::string_view text, bool followed_by_digit) {
    if (is_digit) return AddNumber(text);
    scalars_.push_back({false, text, QualifierRank(text, followed_by_digit)});
  }
  void OpenList() { level_begin_.push_back(scalars_.size()); }
  bool CurrentListEmpty() const { return level_begin_.back() == scalars_.size(); }

  // ComparableVersion's normalize(), innermost list first: trailing null scalars go, and
  // so does a child list left empty.
  void Normalize() {
    std::vector<Scalar> kept;
    std::vector<size_t> ends(depth());
    size_t last_nonempty = 0;
    bool any_nonempty = false;
    for (size_t level = 0; level < depth(); ++level) {
      size_t end = level_begin_[level + 1];
      while (end > level_begin_[level] && IsNull(scalars_[end - 1])) --end;
      ends[level] = end;
      if (end > level_begin_[level]) {
        last_nonempty = level;
        any_nonempty = true;
      }
    }
    size_t new_depth = any_nonempty ? last_nonempty + 1 : 1;
    std::vector<size_t> begins;
    begins.reserve(new_depth + 1);
    for (size_t level = 0; level < new_depth; ++level) {
      begins.push_back(kept.size());
      kept.insert(kept.end(), scalars_.begin() + static_cast<std::ptrdiff_t>(level_begin_[level]),
                  scalars_.begin() + static_cast<std::ptrdiff_t>(ends[level]));
    }
    begins.push_back(kept.size());
    scalars_ = std::move(kept);
    level_begin_ = std::move(begins);
  }

  std::vector<Scalar> scalars_;
  std::vector<size_t> level_begin_;
};

// Item.compareTo(null) for a scalar.
int ScalarVsNull(const Scalar& s) {
  if (s.is_number) return s.text.empty() ? 0 : 1;
  return s.rank == kReleaseRank ? 0 : (s.rank < kReleaseRank ? -1 : 1);
}

int CompareScalars(const Scalar& a, const Scalar& b) {
  if (a.is_number && b.is_number) return internal::CompareDigits(a.text, b.text);
  if (a.is_number != b.is_number) return a.is_number ? 1 : -1;
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.rank != kUnknownRank) return 0;
  return internal::CompareIgnoreCase(a.text, b.text);
}

// ListItem.compareTo(null) for the list at `level`: its items against null in order.
int ListVsNull(const MavenVersion& v, size_t level) {
  for (; level < v.depth(); ++level) {
    for (size_t i = 0; i < v.ScalarCount(level); ++i) {
      if (int r = ScalarVsNull(v.At(level, i)); r != 0) return r;
    }
  }
  return 0;
}

// ListItem.compareTo(ListItem), without recursion: a child list is always the last item
// of its list, so comparing two children is the tail of the comparison.
int CompareVersions(const MavenVersion& a, const MavenVersion& b) {
  size_t la = 0;
  size_t lb = 0;
  while (true) {
    size_t na = a.ItemCount(la);
    size_t nb = b.ItemCount(lb);
    size_t sa = a.ScalarCount(la);
    size_t sb = b.ScalarCount(lb);
    size_t n = na > nb ? na : nb;
    bool descend = false;
    for (size_t i = 0; i < n; ++i) {
      bool a_null = i >= na;
      bool b_null = i >= nb;
      bool a_list = !a_null && i == sa;
      bool b_list = !b_null && i == sb;
      int r;
      if (a_list && b_list) {
        descend = true;  // the last item of both lists
        break;
      } else if (a_null) {
        r = b_list ? -ListVsNull(b, lb + 1) : -ScalarVsNull(b.At(lb, i));
      } else if (b_null) {
        r = a_list ? ListVsNull(a, la + 1) : ScalarVsNull(a.At(la, i));
      } else if (a_list) {
        r = b.At(lb, i).is_number ? -1 : 1;  // 1-1 < 1.1, 1-1 > 1-sp
      } else if (b_list) {
        r = a.At(la, i).is_number ? 1 : -1;
      } else {
        r = CompareScalars(a.At(la, i), b.At(lb, i));
      }
      if (r != 0) return r;
    }
    if (!descend) return 0;
    ++la;
    ++lb;
  }
}

}  // namespace

int CompareMavenVersions(std::string_view a, std::string_view b) {
  return CompareVersions(MavenVersion(a), MavenVersion(b));
}

}  // namespace bulkhead::version
