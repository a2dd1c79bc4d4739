// Small typed accessors over simdjson's DOM for the feed parsers of this module.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/core/status.h"

namespace bulkhead::vulndb::internal {

// Bounds shared by the feed parsers.
inline constexpr size_t kMaxIdBytes = 256;
inline constexpr size_t kMaxVersionBytes = 512;

/// InvalidArgument "name: what", the form every feed error takes.
inline Status Invalid(std::string_view name, const std::string& what) {
  return Status::InvalidArgument(std::string(name) + ": " + what);
}

inline std::optional<std::string_view> Str(simdjson::dom::element e, std::string_view key) {
  std::string_view s;
  if (e[key].get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

inline std::optional<simdjson::dom::array> Arr(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::array a;
  if (e[key].get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
}

inline std::optional<simdjson::dom::object> Obj(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::object o;
  if (e[key].get(o) != simdjson::SUCCESS) return std::nullopt;
  return o;
}

/// True when `s` has no control characters (they would break the storage encoding and
/// terminals) and is at most `max` bytes.
inline bool CleanString(std::string_view s, size_t max) {
  if (s.size() > max) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

/// `s` cut to at most `max` bytes at a UTF-8 character boundary, control characters
/// turned into spaces: a summary fit for a one-line table cell.
inline std::string OneLine(std::string_view s, size_t max) {
  if (s.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut);
  }
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

}  // namespace bulkhead::vulndb::internal
