// Differential: the hand-written block YAML reader against libyaml. Whatever text the
// fast reader accepts must convert through libyaml too, to the same bytes; otherwise
// the fast path has read YAML differently from the reference.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bulkhead/vulndb/internal/yaml_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> fast = bulkhead::vulndb::internal::BlockYamlToJson(text);
  if (!fast) return 0;
  bulkhead::Result<std::string> slow = bulkhead::vulndb::internal::LibyamlToJson(text, "fuzz");
  if (!slow.ok() || *slow != *fast) __builtin_trap();
  return 0;
}
