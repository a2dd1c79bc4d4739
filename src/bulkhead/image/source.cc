#include "bulkhead/image/source.h"

#include <limits.h>
#include <stdlib.h>

#include "bulkhead/archive/read_ahead.h"
#include "bulkhead/core/path.h"

namespace bulkhead::image {
namespace {

class DirectoryStore final : public BlobStore {
 public:
  explicit DirectoryStore(std::string dir) : dir_(std::move(dir)) {
    char buf[PATH_MAX];
    real_dir_ = realpath(dir_.c_str(), buf) ? std::string(buf) : dir_;
  }

  Result<std::unique_ptr<archive::ByteSource>> Open(std::string_view path) const override {
    BULKHEAD_ASSIGN_OR_RETURN(std::string full, Resolve(path));
    BULKHEAD_ASSIGN_OR_RETURN(auto file, archive::SharedFile::Open(full));
    uint64_t size = file->size();
    return archive::OpenFileRange(std::move(file), 0, size, dir_ + CanonicalizePath(path).path);
  }
  bool Exists(std::string_view path) const override { return Resolve(path).ok(); }
  const std::string& name() const override { return dir_; }

 private:
  // Refuses anything that resolves outside the directory (links included).
  Result<std::string> Resolve(std::string_view path) const {
    std::string full = real_dir_ + CanonicalizePath(path).path;
    char buf[PATH_MAX];
    if (!realpath(full.c_str(), buf)) {
      return Status::NotFound(dir_ + CanonicalizePath(path).path + ": no such file");
    }
    std::string_view real(buf);
    if (real.substr(0, real_dir_.size()) != real_dir_ ||
        (real.size() > real_dir_.size() && real[real_dir_.size()] != '/' && real_dir_ != "/")) {
      return Status::Corruption(dir_ + CanonicalizePath(path).path +
                                ": resolves outside the image directory");
    }
    return std::string(real);
  }
  std::string dir_;
  std::string real_dir_;
};

class ArchiveStore final : public BlobStore {
 public:
  explicit ArchiveStore(std::unique_ptr<archive::TarIndex> index) : index_(std::move(index)) {}
  Result<std::unique_ptr<archive::ByteSource>> Open(std::string_view path) const override {
    return index_->OpenMember(path);
  }
  bool Exists(std::string_view path) const override { return index_->Contains(path); }
  const std::string& name() const override { return index_->name(); }

 private:
  std::unique_ptr<archive::TarIndex> index_;
};

}  // namespace

Result<std::string> BlobStore::Read(std::string_view path, uint64_t max_bytes) const {
  BULKHEAD_ASSIGN_OR_RETURN(auto src, Open(path));
  return archive::ReadAll(*src, max_bytes);
}

std::shared_ptr<BlobStore> OpenDirectoryStore(const std::string& dir) {
  return std::make_shared<DirectoryStore>(dir);
}

Result<std::shared_ptr<BlobStore>> OpenArchiveStore(const std::string& path,
                                                    const archive::TarIndexLimits& limits) {
  Result<std::unique_ptr<archive::TarIndex>> index = archive::TarIndex::Open(path, limits);
  if (!index.ok()) {
    if (index.error().code() == StatusCode::kCorruption) {
      return Status::InvalidArgument(std::string(index.error().message()) +
                                     " (is it an image archive?)");
    }
    return index.error();
  }
  return std::shared_ptr<BlobStore>(std::make_shared<ArchiveStore>(std::move(index).value()));
}

Image::Image(std::shared_ptr<BlobStore> store, Target target, ImageConfig config,
             std::vector<LayerInfo> layers, std::vector<LayerBlob> blobs)
    : store_(std::move(store)),
      target_(std::move(target)),
      config_(std::move(config)),
      layers_(std::move(layers)),
      blobs_(std::move(blobs)) {}

Result<std::unique_ptr<archive::ByteSource>> Image::OpenLayer(
    size_t i, const archive::DecompressOptions& options, bool read_ahead) const {
  if (i >= blobs_.size()) return Status::Internal("layer index out of range");
  const LayerBlob& blob = blobs_[i];
  Result<std::unique_ptr<archive::ByteSource>> raw = store_->Open(blob.path);
  if (!raw.ok()) {
    return raw.error().IsNotFound()
               ? Status::Corruption(store_->name() + ": layer " + std::to_string(i + 1) + " (" +
                                    layers_[i].digest +
                                    ") is missing: " + std::string(raw.error().message()))
               : raw.error();
  }
  std::unique_ptr<archive::ByteSource> src = std::move(raw).value();
  if (!blob.expected_digest.empty()) {
    src = archive::VerifyDigest(std::move(src), blob.expected_digest, blob.expected_size);
  }
  BULKHEAD_ASSIGN_OR_RETURN(auto plain, archive::OpenDecompressed(std::move(src), options));
  if (read_ahead) plain = archive::ReadAhead(std::move(plain));
  return archive::VerifyDigest(std::move(plain), layers_[i].diff_id, -1);
}

Status Image::VerifyLayerBlob(size_t i) const {
  if (i >= blobs_.size()) return Status::Internal("layer index out of range");
  const LayerBlob& blob = blobs_[i];
  if (blob.expected_digest.empty()) return Status::OK();
  BULKHEAD_ASSIGN_OR_RETURN(auto raw, store_->Open(blob.path));
  auto verified = archive::VerifyDigest(std::move(raw), blob.expected_digest, blob.expected_size);
  uint8_t buf[64 * 1024];
  for (;;) {
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, verified->Read(buf, sizeof(buf)));
    if (n == 0) return Status::OK();
  }
}

Result<std::unique_ptr<Image>> OpenImage(const SourceSpec& spec, const SourceOptions& options) {
  if (spec.kind == SourceKind::kRootfs) {
    return Status::Internal("OpenImage called on a rootfs source");
  }
  if (spec.kind == SourceKind::kOciLayout) {
    return ReadOciLayout(OpenDirectoryStore(spec.path), spec, options);
  }
  BULKHEAD_ASSIGN_OR_RETURN(auto store, OpenArchiveStore(spec.path, options.archive_limits));
  bool has_index = store->Exists("index.json");
  bool has_docker = store->Exists("manifest.json");
  switch (spec.kind) {
    case SourceKind::kOciArchive:
      if (!has_index)
        return Status::InvalidArgument(spec.path + ": no index.json; not an oci-archive");
      return ReadOciLayout(store, spec, options);
    case SourceKind::kDockerArchive:
      if (has_docker) return ReadDockerArchive(store, spec);
      // Docker 25+ writes an OCI layout inside `docker save` output as well.
      if (has_index) return ReadOciLayout(store, spec, options);
      return Status::InvalidArgument(spec.path + ": no manifest.json; not a docker-archive");
    default:
      if (has_index) return ReadOciLayout(store, spec, options);
      if (has_docker) return ReadDockerArchive(store, spec);
      return Status::InvalidArgument(spec.path +
                                     ": a tar archive, but not an image (no index.json or "
                                     "manifest.json)");
  }
}

}  // namespace bulkhead::image
