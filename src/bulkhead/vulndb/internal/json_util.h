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

}  // namespace bulkhead::vulndb::internal
