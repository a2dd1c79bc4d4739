#include "bulkhead/image/manifest.h"

#include <sys/utsname.h>

#include "bulkhead/core/sha256.h"
#include "bulkhead/image/json.h"

namespace bulkhead::image {
namespace {

using simdjson::dom::element;

// The OCI digest grammar: algorithm ":" encoded, where algorithm is lower-case
// alphanumeric components joined by [+._-] and encoded is [a-zA-Z0-9=_-]+. A digest
// that fails it is malformed (Corruption), not merely of an unsupported algorithm.
bool IsWellFormedDigest(std::string_view digest) {
  size_t colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == digest.size()) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  std::string_view algorithm = digest.substr(0, colon);
  if (!alnum(algorithm.front()) || !alnum(algorithm.back())) return false;
  for (size_t i = 0; i < algorithm.size(); ++i) {
    char c = algorithm[i];
    bool sep = c == '+' || c == '.' || c == '_' || c == '-';
    if (!alnum(c) && !(sep && alnum(algorithm[i + 1]))) return false;
  }
  for (char c : digest.substr(colon + 1)) {
    if (!(alnum(c) || (c >= 'A' && c <= 'Z') || c == '=' || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<Descriptor> ParseDescriptor(element e, const std::string& name, std::string_view what) {
  Descriptor d;
  d.media_type = std::string(JsonString(e, "mediaType").value_or(""));
  d.digest = std::string(JsonString(e, "digest").value_or(""));
  if (!IsSha256Digest(d.digest)) {
    if (d.digest.rfind("sha256:", 0) != 0 && IsWellFormedDigest(d.digest)) {
      return Status::Unsupported(name + ": " + std::string(what) + " uses digest algorithm '" +
                                 d.digest.substr(0, d.digest.find(':')) +
                                 "'; only sha256 is supported");
    }
    return Status::Corruption(name + ": " + std::string(what) + " has an invalid digest '" +
                              d.digest.substr(0, 80) + "'");
  }
  std::optional<int64_t> size = JsonInt(e, "size");
  if (!size || *size < 0) {
    return Status::Corruption(name + ": " + std::string(what) + " " + d.digest +
                              " has no valid size");
  }
  d.size = *size;
  if (auto p = JsonObject(e, "platform")) {
    Platform plat;
    element pe = e["platform"].value_unsafe();
    plat.os = std::string(JsonString(pe, "os").value_or(""));
    plat.architecture = std::string(JsonString(pe, "architecture").value_or(""));
    plat.variant = std::string(JsonString(pe, "variant").value_or(""));
    d.platform = plat;
  }
  if (auto ann = JsonObject(e, "annotations")) {
    for (auto field : *ann) {
      std::string_view v;
      if (field.value.get_string().get(v) == simdjson::SUCCESS) {
        d.annotations.emplace(std::string(field.key), std::string(v));
      }
    }
  }
  return d;
}

std::vector<std::string> StringArray(element e, std::string_view key) {
  std::vector<std::string> out;
  if (auto arr = JsonArray(e, key)) {
    for (element item : *arr) {
      std::string_view s;
      if (item.get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
    }
  }
  return out;
}

}  // namespace

std::string Platform::ToString() const {
  std::string out = os + "/" + architecture;
  if (!variant.empty()) out += "/" + variant;
  return out;
}

Result<Platform> Platform::Parse(std::string_view text) {
  Platform p;
  size_t a = text.find('/');
  if (a == std::string_view::npos || a == 0) {
    return Status::InvalidArgument("--platform '" + std::string(text) +
                                   "': expected os/arch[/variant], e.g. linux/amd64");
  }
  p.os = std::string(text.substr(0, a));
  std::string_view rest = text.substr(a + 1);
  size_t b = rest.find('/');
  p.architecture = std::string(rest.substr(0, b));
  if (b != std::string_view::npos) p.variant = std::string(rest.substr(b + 1));
  if (p.architecture.empty() || (b != std::string_view::npos && p.variant.empty()) ||
      p.variant.find('/') != std::string::npos) {
    return Status::InvalidArgument("--platform '" + std::string(text) +
                                   "': expected os/arch[/variant], e.g. linux/amd64");
  }
  return p;
}

Platform Platform::Host() {
  Platform p{"linux", "amd64", ""};
  struct utsname u;
  if (uname(&u) == 0) {
    std::string_view m = u.machine;
    if (m == "aarch64" || m == "arm64")
      p.architecture = "arm64";
    else if (m.rfind("armv7", 0) == 0)
      p = {"linux", "arm", "v7"};
    else if (m == "s390x" || m == "ppc64le" || m == "riscv64")
      p.architecture = std::string(m);
    else if (m == "i686" || m == "i386")
      p.architecture = "386";
  }
  return p;
}

bool Platform::Matches(const Platform& c) const {
  if (os != c.os || architecture != c.architecture) return false;
  if (variant.empty()) return true;
  std::string cv = c.variant;
  if (cv.empty() && c.architecture == "arm64") cv = "v8";
  return variant == cv;
}

Result<DocumentKind> SniffDocumentKind(std::string_view json, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(json, name));
  std::string_view mt = JsonString(doc->root(), "mediaType").value_or("");
  if (mt == kOciIndexType || mt == kDockerListType) return DocumentKind::kIndex;
  if (mt == kOciManifestType || mt == kDockerManifestType) return DocumentKind::kManifest;
  if (!mt.empty()) {
    return Status::Unsupported(name + ": unsupported document media type '" +
                               std::string(mt.substr(0, 120)) + "'");
  }
  if (JsonArray(doc->root(), "manifests")) return DocumentKind::kIndex;
  if (JsonArray(doc->root(), "layers")) return DocumentKind::kManifest;
  return Status::Corruption(name + ": neither an image index nor an image manifest");
}

Result<ImageIndex> ParseIndex(std::string_view json, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(json, name));
  auto arr = JsonArray(doc->root(), "manifests");
  if (!arr) return Status::Corruption(name + ": image index has no 'manifests' array");
  ImageIndex index;
  for (element e : *arr) {
    if (index.manifests.size() >= kMaxDescriptors) {
      return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxDescriptors) +
                                       " manifests");
    }
    BULKHEAD_ASSIGN_OR_RETURN(Descriptor d, ParseDescriptor(e, name, "manifest descriptor"));
    index.manifests.push_back(std::move(d));
  }
  return index;
}

Result<ImageManifest> ParseManifest(std::string_view json, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(json, name));
  element root = doc->root();
  std::optional<int64_t> schema = JsonInt(root, "schemaVersion");
  if (schema && *schema != 2) {
    return Status::Unsupported(name + ": manifest schemaVersion " + std::to_string(*schema) +
                               " (only schema 2 is supported)");
  }
  element config;
  if (root["config"].get(config) != simdjson::SUCCESS || !config.is_object()) {
    return Status::Corruption(name + ": manifest has no 'config' descriptor");
  }
  ImageManifest m;
  BULKHEAD_ASSIGN_OR_RETURN(m.config, ParseDescriptor(config, name, "config descriptor"));
  auto layers = JsonArray(root, "layers");
  if (!layers) return Status::Corruption(name + ": manifest has no 'layers' array");
  for (element e : *layers) {
    if (m.layers.size() >= kMaxLayers) {
      return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxLayers) +
                                       " layers");
    }
    BULKHEAD_ASSIGN_OR_RETURN(Descriptor d, ParseDescriptor(e, name, "layer descriptor"));
    m.layers.push_back(std::move(d));
  }
  return m;
}

Result<ImageConfig> ParseConfig(std::string_view json, const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(json, name));
  element root = doc->root();
  if (!root.is_object()) return Status::Corruption(name + ": image config is not an object");
  ImageConfig c;
  c.architecture = std::string(JsonString(root, "architecture").value_or(""));
  c.os = std::string(JsonString(root, "os").value_or(""));
  c.variant = std::string(JsonString(root, "variant").value_or(""));
  c.created = std::string(JsonString(root, "created").value_or(""));
  element cfg;
  if (root["config"].get(cfg) == simdjson::SUCCESS && cfg.is_object()) {
    c.user = std::string(JsonString(cfg, "User").value_or(""));
    c.env = StringArray(cfg, "Env");
    if (auto labels = JsonObject(cfg, "Labels")) {
      for (auto field : *labels) {
        std::string_view v;
        if (field.value.get_string().get(v) == simdjson::SUCCESS) {
          c.labels.emplace(std::string(field.key), std::string(v));
        }
      }
    }
    if (auto ports = JsonObject(cfg, "ExposedPorts")) {
      for (auto field : *ports) c.exposed_ports.emplace_back(field.key);
    }
    c.has_healthcheck = JsonObject(cfg, "Healthcheck").has_value();
  }
  element rootfs;
  if (root["rootfs"].get(rootfs) != simdjson::SUCCESS || !rootfs.is_object()) {
    return Status::Corruption(name + ": image config has no 'rootfs'");
  }
  auto diff_ids = JsonArray(rootfs, "diff_ids");
  if (!diff_ids) return Status::Corruption(name + ": image config has no 'rootfs.diff_ids'");
  for (element e : *diff_ids) {
    std::string_view id;
    if (e.get_string().get(id) != simdjson::SUCCESS || !IsSha256Digest(id)) {
      return Status::Corruption(name + ": invalid diff_id in 'rootfs.diff_ids'");
    }
    if (c.diff_ids.size() >= kMaxLayers) {
      return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxLayers) +
                                       " diff_ids");
    }
    c.diff_ids.emplace_back(id);
  }
  if (auto history = JsonArray(root, "history")) {
    for (element e : *history) {
      if (c.history.size() >= kMaxDescriptors) break;
      HistoryEntry h;
      h.created_by = std::string(JsonString(e, "created_by").value_or(""));
      bool empty = false;
      if (e["empty_layer"].get_bool().get(empty) == simdjson::SUCCESS) h.empty_layer = empty;
      c.history.push_back(std::move(h));
    }
  }
  return c;
}

std::vector<std::string> LayerCreatedBy(const ImageConfig& config, size_t layer_count) {
  std::vector<std::string> out;
  for (const HistoryEntry& h : config.history) {
    if (!h.empty_layer) out.push_back(h.created_by);
  }
  if (out.size() != layer_count) out.assign(layer_count, "");
  return out;
}

}  // namespace bulkhead::image
