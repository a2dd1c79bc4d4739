// OCI and Docker v2 image documents: index (manifest list), manifest and config, parsed
// from untrusted bytes into plain structs. Every digest is checked to be a well-formed
// sha256 digest before it is used to name a blob.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/core/result.h"

namespace bulkhead::image {

inline constexpr std::string_view kOciIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kDockerListType =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerManifestType =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";

inline constexpr size_t kMaxDescriptors = 4096;
inline constexpr size_t kMaxLayers = 1024;

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  /// "os/arch" or "os/arch/variant".
  std::string ToString() const;
  /// Parses "os/arch[/variant]"; InvalidArgument otherwise.
  static Result<Platform> Parse(std::string_view text);
  /// The platform bulkhead runs on, e.g. linux/amd64.
  static Platform Host();
  /// True when `candidate` satisfies this wanted platform. An empty wanted variant matches
  /// any; arm64 treats a missing variant as v8.
  bool Matches(const Platform& candidate) const;
};

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = -1;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
};

struct ImageIndex {
  std::vector<Descriptor> manifests;
};

struct ImageManifest {
  Descriptor config;
  std::vector<Descriptor> layers;
};

struct HistoryEntry {
  std::string created_by;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string architecture;
  std::string os;
  std::string variant;
  std::string created;
  std::string user;
  std::vector<std::string> env;
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;
  bool has_healthcheck = false;
  std::vector<std::string> diff_ids;
  std::vector<HistoryEntry> history;
};

enum class DocumentKind { kIndex, kManifest };

/// Tells an index from a manifest by mediaType, or by shape when mediaType is absent
/// (umoci writes none).
Result<DocumentKind> SniffDocumentKind(std::string_view json, const std::string& name);
Result<ImageIndex> ParseIndex(std::string_view json, const std::string& name);
Result<ImageManifest> ParseManifest(std::string_view json, const std::string& name);
Result<ImageConfig> ParseConfig(std::string_view json, const std::string& name);

/// The created_by of each non-empty layer, in layer order, from the config history.
/// Empty strings when the history does not line up with the layers.
std::vector<std::string> LayerCreatedBy(const ImageConfig& config, size_t layer_count);

}  // namespace bulkhead::image
