#include "bulkhead/image/json.h"

namespace bulkhead::image {

Result<std::unique_ptr<JsonDocument>> JsonDocument::Parse(std::string_view text,
                                                          const std::string& name) {
  if (text.size() > kMaxJsonBytes) {
    return Status::ResourceExhausted(name + ": JSON document of " + std::to_string(text.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(kMaxJsonBytes));
  }
  std::unique_ptr<JsonDocument> doc(new JsonDocument());
  if (doc->parser_.allocate(text.size() + 64, kMaxJsonDepth) != simdjson::SUCCESS) {
    return Status::ResourceExhausted(name + ": cannot allocate a JSON parser");
  }
  simdjson::padded_string padded(text);
  simdjson::error_code err = doc->parser_.parse(padded).get(doc->root_);
  if (err != simdjson::SUCCESS) {
    std::string why = err == simdjson::DEPTH_ERROR
                          ? "JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels"
                          : std::string("invalid JSON: ") + simdjson::error_message(err);
    return Status::Corruption(name + ": " + why);
  }
  return doc;
}

std::optional<std::string_view> JsonString(simdjson::dom::element e, std::string_view key) {
  std::string_view out;
  if (e[key].get_string().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::optional<int64_t> JsonInt(simdjson::dom::element e, std::string_view key) {
  int64_t out;
  if (e[key].get_int64().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::optional<simdjson::dom::object> JsonObject(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::object out;
  if (e[key].get_object().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::optional<simdjson::dom::array> JsonArray(simdjson::dom::element e, std::string_view key) {
  simdjson::dom::array out;
  if (e[key].get_array().get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

}  // namespace bulkhead::image
