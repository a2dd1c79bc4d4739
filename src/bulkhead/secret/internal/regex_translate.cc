#include "bulkhead/secret/internal/regex_translate.h"

#include <hs/hs.h>

#include <cctype>

namespace bulkhead::secret::internal {
namespace {

// Walks a pattern and tells, for each byte, whether it is inside a character class.
// Escapes (a backslash and the next byte) are handed over as one two-byte token.
class PatternWalker {
 public:
  explicit PatternWalker(std::string_view s) : s_(s) {}

  bool done() const { return i_ >= s_.size(); }
  size_t pos() const { return i_; }
  bool in_class() const { return in_class_; }
  std::string_view rest() const { return s_.substr(i_); }

  /// The next token: an escape ("\x"), a POSIX class name inside a class ("[:alpha:]"),
  /// or one byte. Updates the class state.
  std::string_view Next() {
    const size_t start = i_;
    const char c = s_[i_];
    if (c == '\\') {
      i_ = std::min(s_.size(), i_ + 2);
      class_first_ = false;
      return s_.substr(start, i_ - start);
    }
    if (in_class_) {
      if (c == '[' && i_ + 1 < s_.size() && s_[i_ + 1] == ':') {
        const size_t end = s_.find(":]", i_ + 2);
        if (end != std::string_view::npos) {
          i_ = end + 2;
          class_first_ = false;
          return s_.substr(start, i_ - start);
        }
      }
      if (c == ']' && !class_first_) in_class_ = false;
      if (c == '^' && class_first_ && i_ == class_start_ + 1) {
        ++i_;  // "[^": a following ']' is still literal.
        return s_.substr(start, 1);
      }
      class_first_ = false;
      ++i_;
      return s_.substr(start, 1);
    }
    if (c == '[') {
      in_class_ = true;
      class_first_ = true;
      class_start_ = i_;
    }
    ++i_;
    return s_.substr(start, 1);
  }

  void Skip(size_t n) { i_ = std::min(s_.size(), i_ + n); }

 private:
  std::string_view s_;
  size_t i_ = 0;
  bool in_class_ = false;
  bool class_first_ = false;
  size_t class_start_ = 0;
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool Contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != std::string_view::npos;
}

// Length of a group-name opener at the start of `s`: "(?P<name>" or "(?<name>", or 0.
size_t NamedGroupOpener(std::string_view s) {
  size_t name_start = 0;
  if (StartsWith(s, "(?P<")) {
    name_start = 4;
  } else if (StartsWith(s, "(?<") && !StartsWith(s, "(?<=") && !StartsWith(s, "(?<!")) {
    name_start = 3;
  } else {
    return 0;
  }
  const size_t close = s.find('>', name_start);
  return close == std::string_view::npos ? 0 : close + 1;
}

}  // namespace

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool IsByteOriented(std::string_view pattern) {
  if (!IsAscii(pattern)) return false;
  PatternWalker w(pattern);
  while (!w.done()) {
    const std::string_view tok = w.Next();
    if (tok.size() == 2 && tok[0] == '\\' && (tok[1] == 'p' || tok[1] == 'P')) return false;
  }
  return true;
}

Result<std::string> GoToRe2(std::string_view go) {
  std::string out;
  out.reserve(go.size() + 4);
  PatternWalker w(go);
  while (!w.done()) {
    const bool in_class = w.in_class();
    const std::string_view rest = w.rest();
    if (!in_class && rest.size() >= 2 && rest[0] == '\\' && rest[1] >= '1' && rest[1] <= '9') {
      return Status::InvalidArgument("back-reference '" + std::string(rest.substr(0, 2)) +
                                     "' is not supported (Go/RE2 regexes have none)");
    }
    if (!in_class && (StartsWith(rest, "(?=") || StartsWith(rest, "(?!") ||
                      StartsWith(rest, "(?<=") || StartsWith(rest, "(?<!"))) {
      return Status::InvalidArgument(
          "lookaround assertion '" + std::string(rest.substr(0, rest[2] == '<' ? 4 : 3)) +
          "' at offset " + std::to_string(w.pos()) +
          " is not supported (Go/RE2 regexes have no lookahead or lookbehind)");
    }
    if (!in_class && StartsWith(rest, "(?<") && NamedGroupOpener(rest) > 0) {
      out += "(?P<";  // RE2 of 2022 only knows Python's spelling.
      w.Skip(3);
      continue;
    }
    out += w.Next();
  }
  return out;
}

bool MayCrossLines(std::string_view go) {
  PatternWalker w(go);
  bool class_has[3][2] = {};  // \s\S, \w\W, \d\D seen in the current class.
  bool negated = false;       // The current class is negated.
  while (!w.done()) {
    const bool in_class = w.in_class();
    const std::string_view rest = w.rest();
    if (!in_class && StartsWith(rest, "(?")) {
      // A flag group: "(?flags)" or "(?flags:"; 's' before any '-' turns on dot-all.
      for (size_t k = 2; k < rest.size(); ++k) {
        const char c = rest[k];
        if (c == 's') return true;
        if (c == '-' || c == ')' || c == ':' || !std::isalpha(static_cast<unsigned char>(c))) {
          break;
        }
      }
    }
    const std::string_view tok = w.Next();
    if (!in_class && w.in_class()) {
      for (auto& pair : class_has) pair[0] = pair[1] = false;
      negated = !w.done() && w.rest()[0] == '^';
    }
    // Escapes in a negated class ([^\r\n]) exclude line breaks instead of matching them.
    if (tok.size() != 2 || tok[0] != '\\' || (in_class && negated)) continue;
    switch (tok[1]) {
      case 'n':
      case 'r':
        return true;
      case 's':
      case 'S':
      case 'w':
      case 'W':
      case 'd':
      case 'D': {
        if (!in_class) break;
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(tok[1])));
        const int kind = lower == 's' ? 0 : lower == 'w' ? 1 : 2;
        class_has[kind][std::isupper(static_cast<unsigned char>(tok[1])) ? 1 : 0] = true;
        if (class_has[kind][0] && class_has[kind][1]) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

namespace {

// True when a flag group "(?flags)" or "(?flags:" turns on 's' (dot matches '\n').
bool HasDotAllFlag(std::string_view go) {
  PatternWalker w(go);
  while (!w.done()) {
    const std::string_view rest = w.rest();
    if (!w.in_class() && StartsWith(rest, "(?")) {
      for (size_t k = 2; k < rest.size(); ++k) {
        const char c = rest[k];
        if (c == 's') return true;
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
      }
    }
    w.Next();
  }
  return false;
}

// A class vectorscan matches correctly (see GoToHyperscan): a class of every byte but one
// ([^"], [^\n]) also loses NUL, one of every byte ([\s\S]) becomes [^\x00].
std::string SafeClass(std::string_view cls) {
  if (StartsWith(cls, "[^")) {
    const std::string_view inner = cls.substr(2, cls.size() - 3);
    const bool one_byte = inner.size() == 1 || (inner.size() == 2 && inner[0] == '\\') ||
                          (inner.size() == 4 && StartsWith(inner, "\\x"));
    return one_byte ? "[^\\x00" + std::string(inner) + "]" : std::string(cls);
  }
  const bool full = (Contains(cls, "\\s") && Contains(cls, "\\S")) ||
                    (Contains(cls, "\\w") && Contains(cls, "\\W")) ||
                    (Contains(cls, "\\d") && Contains(cls, "\\D"));
  return full ? "[^\\x00]" : std::string(cls);
}

}  // namespace

// The length of a repeat "{m,n}" at the start of `s` whose upper bound is large (n at
// least kWideRepeat), else 0. vectorscan spends most of its compile time on such bounds
// (the built-in npmrc, database-URL and URL-credential rules took 82 of 181 ms); "{m,}"
// matches a superset with a superset of end offsets, which is all a prefilter must keep,
// and RE2 applies the real bound when it confirms.
size_t WideRepeatLength(std::string_view s) {
  constexpr unsigned long kWideRepeat = 64;
  size_t i = 1;
  auto digits = [&](unsigned long* value) {
    const size_t start = i;
    *value = 0;
    while (i < s.size() && i - start < 6 && s[i] >= '0' && s[i] <= '9') {
      *value = *value * 10 + static_cast<unsigned long>(s[i] - '0');
      ++i;
    }
    return i > start && (i == s.size() || s[i] < '0' || s[i] > '9');
  };
  unsigned long low = 0, high = 0;
  if (!digits(&low) || i >= s.size() || s[i] != ',') return 0;
  ++i;
  if (!digits(&high) || i >= s.size() || s[i] != '}') return 0;
  return high >= kWideRepeat && high > low ? i + 1 : 0;
}

std::optional<HsPattern> GoToHyperscan(std::string_view go, std::string* why_not) {
  if (!IsAscii(go)) {
    *why_not = "the pattern has non-ASCII bytes";
    return std::nullopt;
  }
  HsPattern hs;
  hs.flags = HS_FLAG_MULTILINE;
  if (StartsWith(go, "(?i)")) {
    hs.flags |= HS_FLAG_CASELESS;
    go.remove_prefix(4);
  }
  // vectorscan 5.4.9 misses matches of X{n,}c where X holds every byte but c (e.g.
  // [^"]{40,}" on a run longer than ~64 bytes, depending on the buffer's alignment; found
  // by fuzz/secret_fuzzer.cc, see tests/secret/engine_test.cc). Keeping NUL out of such
  // classes avoids it; only matches with NUL bytes inside them (binary data) are lost.
  const bool dot_all = HasDotAllFlag(go);
  std::string& out = hs.expression;
  out.reserve(go.size() + 16);
  std::string cls;  // The class being read, emitted when it closes.
  PatternWalker w(go);
  while (!w.done()) {
    const bool in_class = w.in_class();
    const std::string_view rest = w.rest();
    if (!in_class && rest[0] == '(') {
      if (const size_t n = NamedGroupOpener(rest); n > 0) {
        out += '(';
        w.Skip(n);
        continue;
      }
    }
    if (!in_class && rest[0] == '{') {
      if (const size_t n = WideRepeatLength(rest); n > 0) {
        out += rest.substr(0, rest.find(',') + 1);  // "{m,": no upper bound
        out += '}';
        w.Skip(n);
        continue;
      }
    }
    const std::string_view tok = w.Next();
    if (tok.size() == 2 && tok[0] == '\\') {
      switch (tok[1]) {
        case 'p':
        case 'P':
          *why_not = "Unicode classes (\\p, \\P) need RE2";
          return std::nullopt;
        case 'C':
        case 'Q':
        case 'E':
          *why_not = std::string("the escape \\") + tok[1] + " needs RE2";
          return std::nullopt;
        case 'z':
          if (!in_class) {
            out += '$';
            continue;
          }
          break;
        case 'A':
          if (!in_class) {
            out += '^';
            continue;
          }
          break;
        default:
          break;
      }
    }
    if (in_class || w.in_class()) {
      cls += tok;
      if (!w.in_class()) {  // The class closed.
        out += SafeClass(cls);
        cls.clear();
      }
      continue;
    }
    if (tok == ".") {
      out += dot_all ? "[^\\x00]" : "[^\\n\\x00]";
      continue;
    }
    out += tok;
  }
  if (!cls.empty()) out += cls;  // Unclosed: let vectorscan report it.
  if (out.empty()) {
    *why_not = "the pattern is empty";
    return std::nullopt;
  }
  return hs;
}

}  // namespace bulkhead::secret::internal
