#include "bulkhead/pkg/internal/yaml.h"

#include "bulkhead/pkg/internal/lang.h"

namespace bulkhead::pkg::internal {

Result<YAML::Node> LoadYaml(std::string_view text, const std::string& name) {
  if (text.size() > kMaxManifestBytes) {
    return Status::ResourceExhausted(name + ": YAML document over the size limit");
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const std::exception& e) {
    return Status::Corruption(name + ": invalid YAML: " + e.what());
  }
}

std::string YamlScalar(const YAML::Node& node, const char* key) {
  try {
    if (!node.IsMap()) return "";
    YAML::Node v = node[key];
    if (!v || !v.IsScalar()) return "";
    return v.Scalar();
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace bulkhead::pkg::internal
