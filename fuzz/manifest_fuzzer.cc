// OCI/Docker index, manifest, config and docker-archive manifest parsing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/core/sha256.h"
#include "bulkhead/image/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  const std::string name = "fuzz";
  bulkhead::image::SniffDocumentKind(json, name).status().IgnoreError();
  auto index = bulkhead::image::ParseIndex(json, name);
  if (index.ok()) {
    for (const auto& d : index->manifests) {
      if (!bulkhead::IsSha256Digest(d.digest)) __builtin_trap();  // never a path-unsafe digest
    }
  }
  auto manifest = bulkhead::image::ParseManifest(json, name);
  if (manifest.ok()) {
    for (const auto& d : manifest->layers) {
      if (!bulkhead::IsSha256Digest(d.digest)) __builtin_trap();
    }
  }
  auto config = bulkhead::image::ParseConfig(json, name);
  if (config.ok()) bulkhead::image::LayerCreatedBy(*config, config->diff_ids.size());
  return 0;
}
