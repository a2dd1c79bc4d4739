// The one adapter between bulkhead and simdjson for small untrusted documents (manifests,
// indexes, configs). Bounds size and depth; never throws.
//
// A JsonDocument owns its parser; elements and string_views taken from it stay valid
// while the document lives. Not thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::image {

inline constexpr size_t kMaxJsonDepth = 64;
inline constexpr uint64_t kMaxJsonBytes = 16 << 20;

class JsonDocument {
 public:
  /// Parses `text`; Corruption naming `name` when it is not valid JSON or nests too deep.
  static Result<std::unique_ptr<JsonDocument>> Parse(std::string_view text,
                                                     const std::string& name);
  simdjson::dom::element root() const { return root_; }

 private:
  JsonDocument() = default;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

/// Member `key` of object `e` as a string; nullopt when absent or not a string.
std::optional<std::string_view> JsonString(simdjson::dom::element e, std::string_view key);
/// Member `key` as an integer; nullopt when absent or not an integer.
std::optional<int64_t> JsonInt(simdjson::dom::element e, std::string_view key);
/// Member `key` as an object/array; nullopt when absent or of another type.
std::optional<simdjson::dom::object> JsonObject(simdjson::dom::element e, std::string_view key);
std::optional<simdjson::dom::array> JsonArray(simdjson::dom::element e, std::string_view key);

}  // namespace bulkhead::image
