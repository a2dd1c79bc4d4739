#include "bulkhead/pkg/internal/toml_lock.h"

#include "bulkhead/pkg/analyzer.h"
#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg::internal {
namespace {

constexpr size_t kMaxPendingBytes = 1 << 20;  // one multi-line value

// Unquotes a basic ("...", with backslash escapes) or literal ('...') string.
std::string TomlString(std::string_view v) {
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    return std::string(v.substr(1, v.size() - 2));
  }
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  v = v.substr(1, v.size() - 2);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size()) {
      char c = v[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += v[i];
    }
  }
  return out;
}

// Net count of '[' / '{' minus ']' / '}' outside strings, and whether a string is open.
int BracketBalance(std::string_view s, bool* in_string) {
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '#') break;
    if (c == '"' || c == '\'') quote = c;
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
  }
  *in_string = quote != 0;
  return depth;
}

}  // namespace

Result<std::vector<TomlTable>> ReadTomlArrayTables(std::string_view text, std::string_view array,
                                                   const std::string& name, size_t max_tables) {
  const std::string header = "[[" + std::string(array) + "]]";
  std::vector<TomlTable> out;
  bool in_table = false;
  size_t line_no = 0;
  int open = 0;                // brackets still open in a multi-line value
  std::string pending_key;     // the key of that value, when it is kept
  std::string pending;         // the value so far
  std::string_view multiline;  // "\"\"\"" or "'''" while inside such a string
  Status error;
  ForEachLine(text, [&](std::string_view raw) {
    ++line_no;
    if (!error.ok()) return;
    if (!multiline.empty()) {
      if (raw.find(multiline) != std::string_view::npos) multiline = {};
      return;
    }
    if (open > 0) {
      bool in_string = false;
      open += BracketBalance(raw, &in_string);
      if (!pending_key.empty() && pending.size() < kMaxPendingBytes) {
        pending += ' ';
        pending += Trim(raw);
      }
      if (open <= 0 && !pending_key.empty() && !out.empty()) {
        out.back()[pending_key] = std::move(pending);
      }
      if (open <= 0) pending_key.clear();
      return;
    }
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') return;
    if (line.front() == '[') {
      // A header is "[name]" or "[[name]]", maybe with a comment after it. Anything else
      // would silently hide the tables that follow it.
      std::string_view h = line;
      if (size_t hash = h.find('#'); hash != std::string_view::npos) h = Trim(h.substr(0, hash));
      bool in_string = false;
      if (h.size() < 3 || h.back() != ']' || BracketBalance(h, &in_string) != 0 || in_string) {
        error =
            Status::Corruption(name + ":" + std::to_string(line_no) + ": malformed table header");
        return;
      }
      line = h;
      in_table = line == header;
      if (in_table) {
        if (out.size() >= max_tables) {
          error = Status::ResourceExhausted(name + ": more than " + std::to_string(max_tables) +
                                            " [" + header + "] tables");
          return;
        }
        out.emplace_back();
      }
      return;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      error = Status::Corruption(name + ":" + std::to_string(line_no) + ": expected 'key = value'");
      return;
    }
    std::string_view key = Unquote(Trim(line.substr(0, eq)));
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.starts_with("\"\"\"") || value.starts_with("'''")) {
      std::string_view delim = value.substr(0, 3);
      if (value.find(delim, 3) == std::string_view::npos) multiline = delim;
      return;
    }
    bool in_string = false;
    int balance = BracketBalance(value, &in_string);
    if (in_string) {
      error = Status::Corruption(name + ":" + std::to_string(line_no) + ": unterminated string");
      return;
    }
    if (balance > 0) {  // a multi-line array or inline table: kept as written
      open = balance;
      pending.assign(value);
      if (in_table) pending_key = std::string(key);
      return;
    }
    if (in_table && !out.empty()) {
      // Drop a trailing comment after a plain value.
      if (!value.empty() && value.front() != '"' && value.front() != '\'') {
        size_t hash = value.find('#');
        if (hash != std::string_view::npos) value = Trim(value.substr(0, hash));
      }
      out.back()[std::string(key)] = TomlString(value);
    }
  });
  if (!error.ok()) return error;
  if (open > 0 || !multiline.empty()) {
    return Status::Corruption(name + ": unterminated multi-line value at the end");
  }
  return out;
}

std::string_view TomlValue(const TomlTable& table, std::string_view key) {
  auto it = table.find(key);
  return it == table.end() ? std::string_view() : std::string_view(it->second);
}

std::string InlineTableValue(std::string_view inline_table, std::string_view key) {
  std::string_view s = Trim(inline_table);
  if (s.size() < 2 || s.front() != '{') return "";
  s = s.substr(1, s.size() - 2);
  while (!s.empty()) {
    size_t comma = s.find(',');  // values of interest hold no commas
    std::string_view part = s.substr(0, comma);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && Unquote(Trim(part.substr(0, eq))) == key) {
      return TomlString(Trim(part.substr(eq + 1)));
    }
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return "";
}

std::vector<std::string> TomlStringArray(std::string_view array) {
  std::vector<std::string> out;
  array = Trim(array);
  if (array.size() < 2 || array.front() != '[') return out;
  for (size_t i = 1; i < array.size() && out.size() < 100'000; ++i) {
    char q = array[i];
    if (q != '"' && q != '\'') continue;
    size_t end = i + 1;
    while (end < array.size() && array[end] != q) end += (array[end] == '\\' && q == '"') ? 2 : 1;
    if (end >= array.size()) break;
    out.push_back(TomlString(array.substr(i, end - i + 1)));
    i = end;
  }
  return out;
}

}  // namespace bulkhead::pkg::internal
