// Reads an OCI image layout (a directory, an oci-archive, or Docker 25+ `docker save`
// output) down to one manifest and its config.
#include <algorithm>

#include "bulkhead/image/source.h"

namespace bulkhead::image {
namespace {

constexpr uint64_t kMaxDocumentBytes = 16 << 20;
constexpr int kMaxIndexNesting = 4;
constexpr std::string_view kContainerdNameAnnotation = "io.containerd.image.name";

std::string BlobPath(std::string_view digest) {
  return "blobs/sha256/" + std::string(digest.substr(7));
}

// Reads a small blob named by `d` and checks its size and digest.
Result<std::string> ReadVerifiedBlob(const BlobStore& store, const Descriptor& d,
                                     std::string_view what) {
  if (d.size > static_cast<int64_t>(kMaxDocumentBytes)) {
    return Status::ResourceExhausted(store.name() + ": " + std::string(what) + " " + d.digest +
                                     " is " + std::to_string(d.size) + " bytes, over the limit");
  }
  Result<std::unique_ptr<archive::ByteSource>> src = store.Open(BlobPath(d.digest));
  if (!src.ok()) {
    if (src.error().IsNotFound()) {
      return Status::Corruption(store.name() + ": " + std::string(what) + " blob " + d.digest +
                                " is missing");
    }
    return src.error();
  }
  auto verified = archive::VerifyDigest(std::move(src).value(), d.digest, d.size);
  return archive::ReadAll(*verified, kMaxDocumentBytes);
}

std::string RefName(const Descriptor& d) {
  auto it = d.annotations.find(std::string(kRefNameAnnotation));
  if (it != d.annotations.end()) return it->second;
  it = d.annotations.find(std::string(kContainerdNameAnnotation));
  return it != d.annotations.end() ? it->second : "";
}

bool TagMatches(const Descriptor& d, std::string_view tag) {
  if (tag.substr(0, 7) == "sha256:") return d.digest == tag;
  for (std::string_view key : {kRefNameAnnotation, kContainerdNameAnnotation}) {
    auto it = d.annotations.find(std::string(key));
    if (it == d.annotations.end()) continue;
    std::string_view v = it->second;
    if (v == tag) return true;
    if (v.size() > tag.size() && v.substr(v.size() - tag.size()) == tag &&
        v[v.size() - tag.size() - 1] == ':') {
      return true;
    }
  }
  return false;
}

std::string ListRefs(const ImageIndex& index) {
  std::string out;
  for (const Descriptor& d : index.manifests) {
    if (!out.empty()) out += ", ";
    std::string ref = RefName(d);
    out += ref.empty() ? d.digest : ref;
  }
  return out;
}

Result<Descriptor> SelectPlatform(const ImageIndex& index, const BlobStore& store,
                                  const Platform& want) {
  std::string present;
  for (const Descriptor& d : index.manifests) {
    if (!d.platform) continue;
    if (d.platform->os == "unknown") continue;  // attestations
    if (want.Matches(*d.platform)) return d;
    if (!present.empty()) present += ", ";
    present += d.platform->ToString();
  }
  return Status::NotFound(store.name() + ": no image for platform " + want.ToString() +
                          "; choose one with --platform. Present: " + present);
}

// Picks the descriptor of index.json named by `tag` (any when empty). Several matches
// that are the platform variants of one image (one ref name, each with a platform, as
// some tools write a multi-platform image straight into index.json) are told apart by
// platform.
Result<Descriptor> SelectByTag(const ImageIndex& index, const BlobStore& store,
                               const std::string& tag, const Platform& want) {
  if (index.manifests.empty())
    return Status::Corruption(store.name() + ": index.json lists no images");
  ImageIndex matches;
  for (const Descriptor& d : index.manifests) {
    if (tag.empty() || TagMatches(d, tag)) matches.manifests.push_back(d);
  }
  if (matches.manifests.empty()) {
    return Status::NotFound(store.name() + ": no image tagged '" + tag +
                            "'. Present: " + ListRefs(index));
  }
  if (matches.manifests.size() == 1) return matches.manifests[0];
  const std::string first_ref = RefName(matches.manifests[0]);
  bool variants = std::all_of(
      matches.manifests.begin(), matches.manifests.end(),
      [&](const Descriptor& d) { return d.platform.has_value() && RefName(d) == first_ref; });
  if (variants) return SelectPlatform(matches, store, want);
  if (!tag.empty()) return matches.manifests[0];
  return Status::InvalidArgument(store.name() + " holds " + std::to_string(index.manifests.size()) +
                                 " images; name one with :<tag>. Present: " + ListRefs(index));
}

}  // namespace

Result<std::unique_ptr<Image>> ReadOciLayout(std::shared_ptr<BlobStore> store,
                                             const SourceSpec& spec, const SourceOptions& options) {
  Result<std::string> index_json = store->Read("index.json", kMaxDocumentBytes);
  if (!index_json.ok()) {
    if (index_json.error().IsNotFound()) {
      return Status::InvalidArgument(store->name() + ": no index.json; not an OCI image layout");
    }
    return index_json.error();
  }
  BULKHEAD_ASSIGN_OR_RETURN(ImageIndex top, ParseIndex(*index_json, store->name() + ":index.json"));
  const Platform want = options.platform.value_or(Platform::Host());
  BULKHEAD_ASSIGN_OR_RETURN(Descriptor chosen, SelectByTag(top, *store, spec.tag, want));
  std::string ref = RefName(chosen);

  std::string manifest_json;
  for (int depth = 0;; ++depth) {
    if (depth > kMaxIndexNesting) {
      return Status::ResourceExhausted(store->name() + ": image indexes nest too deep");
    }
    BULKHEAD_ASSIGN_OR_RETURN(std::string doc, ReadVerifiedBlob(*store, chosen, "manifest"));
    std::string name = store->name() + ":" + chosen.digest;
    BULKHEAD_ASSIGN_OR_RETURN(DocumentKind kind, SniffDocumentKind(doc, name));
    if (kind == DocumentKind::kManifest) {
      manifest_json = std::move(doc);
      break;
    }
    BULKHEAD_ASSIGN_OR_RETURN(ImageIndex nested, ParseIndex(doc, name));
    BULKHEAD_ASSIGN_OR_RETURN(chosen, SelectPlatform(nested, *store, want));
  }

  const std::string manifest_name = store->name() + ":" + chosen.digest;
  BULKHEAD_ASSIGN_OR_RETURN(ImageManifest manifest, ParseManifest(manifest_json, manifest_name));
  BULKHEAD_ASSIGN_OR_RETURN(std::string config_json,
                            ReadVerifiedBlob(*store, manifest.config, "config"));
  BULKHEAD_ASSIGN_OR_RETURN(ImageConfig config,
                            ParseConfig(config_json, store->name() + ":" + manifest.config.digest));
  if (config.diff_ids.size() != manifest.layers.size()) {
    return Status::Corruption(
        manifest_name + ": the manifest has " + std::to_string(manifest.layers.size()) +
        " layers but the config lists " + std::to_string(config.diff_ids.size()) + " diff_ids");
  }

  Target target;
  target.name = spec.display;
  target.kind = "image";
  target.digest = chosen.digest;
  target.config_digest = manifest.config.digest;
  target.architecture = config.architecture;
  target.os_name = config.os;
  target.created = config.created;
  if (!ref.empty()) target.repo_tags.push_back(ref);

  std::vector<std::string> created_by = LayerCreatedBy(config, manifest.layers.size());
  std::vector<LayerInfo> layers;
  std::vector<Image::LayerBlob> blobs;
  for (size_t i = 0; i < manifest.layers.size(); ++i) {
    const Descriptor& d = manifest.layers[i];
    LayerInfo info;
    info.digest = d.digest;
    info.diff_id = config.diff_ids[i];
    info.media_type = d.media_type;
    info.size = static_cast<uint64_t>(d.size);
    info.created_by = created_by[i];
    layers.push_back(std::move(info));
    blobs.push_back({BlobPath(d.digest), d.digest, d.size});
  }
  return std::make_unique<Image>(std::move(store), std::move(target), std::move(config),
                                 std::move(layers), std::move(blobs));
}

}  // namespace bulkhead::image
