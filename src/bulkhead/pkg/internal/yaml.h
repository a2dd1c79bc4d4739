// The pkg module's one adapter to yaml-cpp: loads a bounded document and converts the
// library's exceptions to Status. Module-private.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "bulkhead/core/result.h"

namespace bulkhead::pkg::internal {

/// Parses `text` (at most kMaxManifestBytes); Corruption naming `name` when it is not
/// YAML.
Result<YAML::Node> LoadYaml(std::string_view text, const std::string& name);

/// `node[key]` as a string when it is a scalar, else "". Never throws.
std::string YamlScalar(const YAML::Node& node, const char* key);

}  // namespace bulkhead::pkg::internal
