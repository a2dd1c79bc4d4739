// The fast path of YamlToJson: the block-style YAML that PyPA's and PSF's tooling writes
// (PyYAML dumps of OSV records). Written by hand because libyaml's scanner ran at about
// 90 MB/s and was most of the time of importing PyPA's tree; this is one pass over lines.
//
// It reads block mappings with plain keys, block sequences (indentless ones too),
// plain, single-quoted and double-quoted scalars over several lines, and literal block
// scalars (|, |-, |+). Anything else, and anything it is unsure of, returns nullopt and
// YamlToJson asks libyaml: flow collections, anchors, aliases, tags, folded scalars,
// indentation indicators, comments after content, tabs, CR, document markers, control
// characters, BOMs and YAML's other line breaks. The fuzzer yaml_block checks that every
// document accepted here converts byte for byte as libyaml converts it.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "bulkhead/vulndb/internal/yaml_json.h"

namespace bulkhead::vulndb::internal {
namespace {

constexpr int kMaxDepth = 60;            // libyaml's converter stops at 64
constexpr size_t kMaxNodes = 4'000'000;  // as the libyaml converter
constexpr size_t kMaxKeyBytes = 1000;    // libyaml refuses simple keys over 1024
constexpr size_t kMaxExpansion = size_t{64} << 20;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/';
}

bool IsNullWord(std::string_view s) {
  return s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// Bytes that libyaml reads differently or refuses: control characters (tab and CR
// included, to keep this reader simple), C1 controls and NEL, U+2028/U+2029, BOMs,
// U+FFFE/U+FFFF, and invalid UTF-8.
bool PlainBytes(std::string_view text) {
  if (!simdjson::validate_utf8(text.data(), text.size())) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    if (c >= 0x20 && c < 0x7F) continue;
    if (c == '\n') continue;
    if (c < 0x80) return false;  // other controls and DEL
    // Valid UTF-8 here, so the continuation bytes exist.
    if (c == 0xC2 && s[i + 1] < 0xA0) return false;
    if (c == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) return false;
    if (c == 0xEF && ((s[i + 1] == 0xBB && s[i + 2] == 0xBF) ||
                      (s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF)))) {
      return false;
    }
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Each method returns false when the text leaves the subset; the reader then stops.
// Positions: p_ is where reading goes on; after a node it is at the start of a line.
// `n` is the indentation of the innermost block collection, which continuation lines
// of a scalar must exceed.
class BlockReader {
 public:
  BlockReader(std::string_view text, std::string* out)
      : p_(text.data()), end_(text.data() + text.size()), out_(out) {}

  bool Document() {
    SkipEmptyLines();
    if (p_ == end_ || *p_ == ' ') return false;
    const char* e = LineEnd(p_);
    bool ok;
    if (IsEntry(p_, e)) {
      ok = Sequence(0);
    } else if (KeyLength(p_, e)) {
      ok = Mapping(0);
    } else {
      return false;  // a lone scalar, a document marker, a directive...
    }
    if (!ok) return false;
    SkipEmptyLines();
    return p_ == end_;
  }

 private:
  const char* LineEnd(const char* p) const {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end_ - p));
    return nl ? static_cast<const char*>(nl) : end_;
  }
  const char* After(const char* line_end) const { return line_end < end_ ? line_end + 1 : end_; }
  static int Spaces(const char* p, const char* e) {
    const char* q = p;
    while (q < e && *q == ' ') ++q;
    return static_cast<int>(q - p);
  }
  static bool IsEntry(const char* q, const char* e) {
    return *q == '-' && (q + 1 == e || q[1] == ' ');
  }

  // Length of the plain key that starts the line at q ("key:" then a space or the end),
  // or 0 when there is none.
  static size_t KeyLength(const char* q, const char* e) {
    const char c = *q;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return 0;
    const char* k = q;
    while (k < e && IsKeyChar(*k)) ++k;
    if (k == e || *k != ':' || (k + 1 != e && k[1] != ' ')) return 0;
    const size_t n = static_cast<size_t>(k - q);
    if (n > kMaxKeyBytes || IsNullWord(std::string_view(q, n))) return 0;
    return n;
  }

  // Skips blank lines and whole-line comments.
  void SkipEmptyLines() {
    while (p_ < end_) {
      const char* e = LineEnd(p_);
      const char* q = p_ + Spaces(p_, e);
      if (q != e && *q != '#') return;
      p_ = After(e);
    }
  }

  bool Enter() {
    if (++depth_ > kMaxDepth) return false;
    return Count();
  }
  bool Count() { return ++nodes_ <= kMaxNodes; }

  void Separate(bool* first) {
    if (!*first) out_->push_back(',');
    *first = false;
  }

  // p_ at the first key, at column m.
  bool Mapping(int m) {
    if (!Enter()) return false;
    out_->push_back('{');
    bool first = true;
    for (;;) {
      const char* e = LineEnd(p_);
      const size_t key = KeyLength(p_, e);
      if (!key || !Count()) return false;
      Separate(&first);
      out_->push_back('"');
      out_->append(p_, key);
      out_->append("\":");
      const char* v = p_ + key + 1;
      v += Spaces(v, e);
      if (v == e) {
        p_ = After(e);
        if (!ValueBelow(m, /*in_mapping=*/true)) return false;
      } else {
        p_ = v;
        if (IsEntry(v, e) || !Scalar(m, e, /*own_line=*/false)) return false;
      }
      SkipEmptyLines();
      if (p_ == end_) break;
      const int indent = Spaces(p_, LineEnd(p_));
      if (indent < m) break;
      if (indent > m) return false;
      p_ += indent;
    }
    out_->push_back('}');
    --depth_;
    return true;
  }

  // p_ at the first '-', at column s.
  bool Sequence(int s) {
    if (!Enter()) return false;
    out_->push_back('[');
    bool first = true;
    for (;;) {
      const char* e = LineEnd(p_);
      Separate(&first);
      const char* v = p_ + 1;
      v += Spaces(v, e);
      if (v == e) {
        p_ = After(e);
        if (!ValueBelow(s, /*in_mapping=*/false)) return false;
      } else {
        const int column = s + static_cast<int>(v - p_);
        p_ = v;
        bool ok;
        if (IsEntry(v, e)) {
          ok = Sequence(column);
        } else if (KeyLength(v, e)) {
          ok = Mapping(column);
        } else {
          ok = Scalar(s, e, /*own_line=*/false);
        }
        if (!ok) return false;
      }
      SkipEmptyLines();
      if (p_ == end_) break;
      const char* le = LineEnd(p_);
      const int indent = Spaces(p_, le);
      if (indent < s) break;
      if (indent > s) return false;
      if (!IsEntry(p_ + indent, le)) break;  // the parent mapping's next key
      p_ += indent;
    }
    out_->push_back(']');
    --depth_;
    return true;
  }

  // The value of "key:" or "-" that ends its line: a node on the lines below, or null.
  bool ValueBelow(int n, bool in_mapping) {
    SkipEmptyLines();
    if (p_ == end_) return Null();
    const char* e = LineEnd(p_);
    const int indent = Spaces(p_, e);
    const char* q = p_ + indent;
    if (indent == n && in_mapping && IsEntry(q, e)) {
      p_ = q;
      return Sequence(n);  // indentless, as PyYAML writes lists in mappings
    }
    if (indent <= n) return Null();
    p_ = q;
    if (IsEntry(q, e)) return Sequence(indent);
    if (KeyLength(q, e)) return Mapping(indent);
    return Scalar(n, e, /*own_line=*/true);
  }

  bool Null() {
    if (!Count()) return false;
    out_->append("null");
    return true;
  }

  // p_ at the scalar's first character; e is the end of its line.
  bool Scalar(int n, const char* e, bool own_line) {
    if (!Count()) return false;
    text_.clear();
    switch (*p_) {
      case '\'':
        if (!Quoted(n, /*single=*/true)) return false;
        break;
      case '"':
        if (!Quoted(n, /*single=*/false)) return false;
        break;
      case '|':
        if (own_line || !Literal(n, e)) return false;
        break;
      default:
        if (!Plain(n, e)) return false;
        if (IsNullWord(text_)) {
          out_->append("null");
          return true;
        }
    }
    AppendJsonString(text_, out_);
    return true;
  }

  // One line of a plain scalar, [q, e), trailing spaces dropped; false for ": " and
  // " #" (a value that is a mapping, or a comment) and a ':' at the end.
  static bool PlainLine(const char* q, const char* e, std::string_view* line) {
    for (const char* r = q; r < e; ++r) {
      if (*r == ':' && (r + 1 == e || r[1] == ' ')) return false;
      if (*r == '#' && r > q && r[-1] == ' ') return false;
    }
    while (e > q && e[-1] == ' ') --e;
    *line = std::string_view(q, static_cast<size_t>(e - q));
    return true;
  }

  bool Plain(int n, const char* e) {
    // Indicators that start something else (flow, anchor, alias, tag, block scalar,
    // directive, reserved) or that the subset leaves to libyaml.
    if (std::strchr("-?:,[]{}#&*!|>%@`", *p_)) return false;
    std::string_view line;
    if (!PlainLine(p_, e, &line)) return false;
    text_.append(line);
    const char* next = After(e);
    size_t breaks = 0;
    for (;;) {
      p_ = next;
      if (next == end_) return true;
      const char* le = LineEnd(next);
      const int indent = Spaces(next, le);
      const char* q = next + indent;
      if (q == le) {  // empty line: folds to a line feed
        ++breaks;
        next = After(le);
        continue;
      }
      if (indent <= n) return true;
      if (*q == '#' || IsEntry(q, le) || *q == '?') return false;
      if (!PlainLine(q, le, &line)) return false;
      if (breaks == 0) {
        text_.push_back(' ');
      } else {
        text_.append(breaks, '\n');
      }
      breaks = 0;
      text_.append(line);
      next = After(le);
    }
  }

  // A single- or double-quoted scalar; p_ at the opening quote. Line breaks fold as
  // YAML says: one break is a space, each further empty line a line feed, and spaces
  // around a break go. In double quotes, "\" at the end of a line joins the lines.
  bool Quoted(int n, bool single) {
    const char quote = single ? '\'' : '"';
    const char* q = p_ + 1;
    for (;;) {
      const char* e = LineEnd(q);
      // Spaces that an escape wrote are text, not the line's trailing blanks.
      size_t keep = text_.size();
      bool escaped_break = false;
      while (q < e) {
        const char c = *q;
        if (c == quote) {
          if (single && q + 1 < e && q[1] == '\'') {
            text_.push_back('\'');
            q += 2;
            continue;
          }
          // The end: nothing but spaces may follow on the line.
          ++q;
          if (q + Spaces(q, e) != e) return false;
          p_ = After(e);
          return true;
        }
        if (!single && c == '\\') {
          if (q + 1 == e) {
            escaped_break = true;
            q = e;
            break;
          }
          if (!Escape(&q, e)) return false;
          keep = text_.size();
          continue;
        }
        // A run of ordinary characters.
        const char* r = q + 1;
        while (r < e && *r != quote && (single || *r != '\\')) ++r;
        text_.append(q, static_cast<size_t>(r - q));
        q = r;
      }
      if (!escaped_break) {
        while (text_.size() > keep && text_.back() == ' ') text_.pop_back();
      }
      // Empty lines, then the next line, which must be indented past the collection.
      size_t breaks = 0;
      const char* next = After(e);
      for (;;) {
        if (next == end_) return false;  // unterminated
        const char* le = LineEnd(next);
        const int indent = Spaces(next, le);
        if (next + indent != le) {
          if (indent <= n) return false;
          q = next + indent;
          break;
        }
        ++breaks;
        next = After(le);
      }
      if (escaped_break) {
        text_.append(breaks, '\n');
      } else if (breaks == 0) {
        text_.push_back(' ');
      } else {
        text_.append(breaks, '\n');
      }
    }
  }

  // A double-quoted escape at *q ('\\'), not at the end of the line.
  bool Escape(const char** q, const char* e) {
    // The escapes libyaml knows that stand for fixed text.
    static constexpr std::pair<char, std::string_view> kFixed[] = {
        {'0', std::string_view("\0", 1)},
        {'a', "\a"},
        {'b', "\b"},
        {'t', "\t"},
        {'n', "\n"},
        {'v', "\v"},
        {'f', "\f"},
        {'r', "\r"},
        {'e', "\x1b"},
        {' ', " "},
        {'"', "\""},
        {'\\', "\\"},
        {'N', "\xC2\x85"},
        {'_', "\xC2\xA0"},
        {'L', "\xE2\x80\xA8"},
        {'P', "\xE2\x80\xA9"},
    };
    const char c = (*q)[1];
    const int digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (digits == 0) {
      const auto* fixed = std::find_if(std::begin(kFixed), std::end(kFixed),
                                       [c](const auto& f) { return f.first == c; });
      if (fixed == std::end(kFixed)) return false;
      text_.append(fixed->second);
    }
    *q += 2;
    if (digits == 0) return true;
    if (e - *q < digits) return false;
    uint32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      const int h = HexValue((*q)[i]);
      if (h < 0) return false;
      cp = (cp << 4) | static_cast<uint32_t>(h);
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    AppendUtf8(cp, &text_);
    *q += digits;
    return true;
  }

  // A literal block scalar; p_ at '|', e the end of its line. The indentation comes
  // from the first line with text; lines of only spaces beyond it are left to libyaml.
  bool Literal(int n, const char* e) {
    const char* h = p_ + 1;
    int chomp = 0;  // -1 strip, 0 clip, +1 keep
    if (h < e && (*h == '-' || *h == '+')) chomp = *h++ == '-' ? -1 : 1;
    if (h + Spaces(h, e) != e) return false;  // indentation indicator or comment
    const char* line = After(e);
    size_t leading = 0;
    int widest_blank = 0;
    for (;;) {
      if (line == end_) return false;  // no text at all
      const char* le = LineEnd(line);
      const int indent = Spaces(line, le);
      if (line + indent != le) break;
      widest_blank = std::max(widest_blank, indent);
      ++leading;
      line = After(le);
    }
    const int k = Spaces(line, LineEnd(line));
    if (k <= n || widest_blank > k) return false;
    text_.append(leading, '\n');
    size_t breaks = 0;
    bool first = true;
    while (line < end_) {
      const char* le = LineEnd(line);
      const int indent = Spaces(line, le);
      if (line + indent == le) {
        if (indent > k) return false;
        ++breaks;
        line = After(le);
        continue;
      }
      if (indent < k) {
        if (line[indent] == '#') return false;  // trailing comments: left to libyaml
        break;
      }
      if (!first) text_.append(breaks + 1, '\n');
      first = false;
      breaks = 0;
      text_.append(line + k, static_cast<size_t>(le - line - k));
      line = After(le);
    }
    if (chomp >= 0) text_.push_back('\n');
    if (chomp > 0) text_.append(breaks, '\n');
    p_ = line;
    return true;
  }

  const char* p_;
  const char* end_;
  std::string* out_;
  std::string text_;  // the scalar being read
  int depth_ = 0;
  size_t nodes_ = 0;
};

}  // namespace

std::optional<std::string> BlockYamlToJson(std::string_view text) {
  // A final line break keeps the end-of-input cases of block scalars out of the subset.
  if (text.empty() || text.back() != '\n' || !PlainBytes(text)) return std::nullopt;
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  BlockReader reader(text, &out);
  if (!reader.Document() || out.size() > kMaxExpansion + 4 * text.size()) return std::nullopt;
  return out;
}

}  // namespace bulkhead::vulndb::internal
