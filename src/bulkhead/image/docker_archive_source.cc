// Reads classic `docker save` output: manifest.json naming a config file and layer tars
// (uncompressed, possibly symlinks inside the archive, as skopeo writes them).
#include "bulkhead/core/path.h"
#include "bulkhead/core/sha256.h"
#include "bulkhead/image/json.h"
#include "bulkhead/image/source.h"

namespace bulkhead::image {
namespace {

constexpr uint64_t kMaxDocumentBytes = 16 << 20;

struct DockerEntry {
  std::string config;
  std::vector<std::string> repo_tags;
  std::vector<std::string> layers;
};

Result<std::vector<DockerEntry>> ParseDockerManifest(std::string_view json,
                                                     const std::string& name) {
  BULKHEAD_ASSIGN_OR_RETURN(auto doc, JsonDocument::Parse(json, name));
  simdjson::dom::array arr;
  if (doc->root().get_array().get(arr) != simdjson::SUCCESS) {
    return Status::Corruption(name + ": manifest.json is not an array");
  }
  std::vector<DockerEntry> out;
  for (simdjson::dom::element e : arr) {
    if (out.size() >= kMaxDescriptors) {
      return Status::ResourceExhausted(name + ": too many images in manifest.json");
    }
    DockerEntry entry;
    std::optional<std::string_view> config = JsonString(e, "Config");
    if (!config) return Status::Corruption(name + ": manifest.json entry without 'Config'");
    entry.config = std::string(*config);
    if (auto tags = JsonArray(e, "RepoTags")) {
      for (simdjson::dom::element t : *tags) {
        std::string_view s;
        if (t.get_string().get(s) == simdjson::SUCCESS) entry.repo_tags.emplace_back(s);
      }
    }
    auto layers = JsonArray(e, "Layers");
    if (!layers) return Status::Corruption(name + ": manifest.json entry without 'Layers'");
    for (simdjson::dom::element l : *layers) {
      std::string_view s;
      if (l.get_string().get(s) != simdjson::SUCCESS) {
        return Status::Corruption(name + ": non-string entry in 'Layers'");
      }
      if (entry.layers.size() >= kMaxLayers) {
        return Status::ResourceExhausted(name + ": more than " + std::to_string(kMaxLayers) +
                                         " layers");
      }
      entry.layers.emplace_back(s);
    }
    out.push_back(std::move(entry));
  }
  if (out.empty()) return Status::Corruption(name + ": manifest.json lists no images");
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// A "blobs/sha256/<hex>" or "<hex>.json" style name carries the digest of its content.
std::string DigestFromName(std::string_view path) {
  const std::string canonical = CanonicalizePath(path).path;  // BaseName views into it
  std::string_view base = BaseName(canonical);
  if (base.size() > 5 && base.substr(base.size() - 5) == ".json") base.remove_suffix(5);
  std::string digest = "sha256:" + std::string(base);
  return IsSha256Digest(digest) ? digest : "";
}

}  // namespace

Result<std::unique_ptr<Image>> ReadDockerArchive(std::shared_ptr<BlobStore> store,
                                                 const SourceSpec& spec) {
  const std::string mname = store->name() + ":manifest.json";
  BULKHEAD_ASSIGN_OR_RETURN(std::string json, store->Read("manifest.json", kMaxDocumentBytes));
  BULKHEAD_ASSIGN_OR_RETURN(std::vector<DockerEntry> entries, ParseDockerManifest(json, mname));
  const DockerEntry* chosen = nullptr;
  if (spec.tag.empty()) {
    if (entries.size() > 1) {
      std::vector<std::string> all;
      for (const DockerEntry& e : entries)
        all.insert(all.end(), e.repo_tags.begin(), e.repo_tags.end());
      return Status::InvalidArgument(store->name() + " holds " + std::to_string(entries.size()) +
                                     " images; name one with :<name:tag>. Present: " + Join(all));
    }
    chosen = &entries[0];
  } else {
    for (const DockerEntry& e : entries) {
      for (const std::string& t : e.repo_tags) {
        if (t == spec.tag ||
            (t.size() > spec.tag.size() &&
             t.compare(t.size() - spec.tag.size(), spec.tag.size(), spec.tag) == 0 &&
             t[t.size() - spec.tag.size() - 1] == ':')) {
          chosen = &e;
        }
      }
    }
    if (!chosen) {
      std::vector<std::string> all;
      for (const DockerEntry& e : entries)
        all.insert(all.end(), e.repo_tags.begin(), e.repo_tags.end());
      return Status::NotFound(store->name() + ": no image tagged '" + spec.tag +
                              "'. Present: " + Join(all));
    }
  }

  Result<std::string> config_json = store->Read(chosen->config, kMaxDocumentBytes);
  if (!config_json.ok()) {
    return config_json.error().IsNotFound()
               ? Status::Corruption(mname + ": config " + chosen->config + " is missing")
               : config_json.error();
  }
  std::string config_digest = Sha256Digest(*config_json);
  std::string named = DigestFromName(chosen->config);
  if (!named.empty() && named != config_digest) {
    return Status::Corruption(store->name() + ":" + chosen->config +
                              ": digest mismatch: content hashes to " + config_digest);
  }
  BULKHEAD_ASSIGN_OR_RETURN(ImageConfig config,
                            ParseConfig(*config_json, store->name() + ":" + chosen->config));
  if (config.diff_ids.size() != chosen->layers.size()) {
    return Status::Corruption(mname + ": " + std::to_string(chosen->layers.size()) +
                              " layers but the config lists " +
                              std::to_string(config.diff_ids.size()) + " diff_ids");
  }

  Target target;
  target.name = spec.display;
  target.kind = "image";
  target.config_digest = config_digest;
  target.architecture = config.architecture;
  target.os_name = config.os;
  target.created = config.created;
  target.repo_tags = chosen->repo_tags;

  std::vector<std::string> created_by = LayerCreatedBy(config, chosen->layers.size());
  std::vector<LayerInfo> layers;
  std::vector<Image::LayerBlob> blobs;
  for (size_t i = 0; i < chosen->layers.size(); ++i) {
    const std::string& path = chosen->layers[i];
    if (!store->Exists(path)) {
      return Status::Corruption(mname + ": layer " + path + " is missing");
    }
    LayerInfo info;
    info.diff_id = config.diff_ids[i];
    // Layers here are normally uncompressed, so the blob digest is the diff_id; a
    // content-addressed name is checked as well.
    std::string named_digest = DigestFromName(path);
    info.digest = named_digest.empty() ? info.diff_id : named_digest;
    info.media_type = "application/vnd.docker.image.rootfs.diff.tar";
    info.created_by = created_by[i];
    layers.push_back(std::move(info));
    blobs.push_back({path, named_digest, -1});
  }
  return std::make_unique<Image>(std::move(store), std::move(target), std::move(config),
                                 std::move(layers), std::move(blobs));
}

}  // namespace bulkhead::image
