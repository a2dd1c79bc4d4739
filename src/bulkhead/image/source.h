// Image sources: where an image's blobs come from (an OCI layout directory, an
// oci-archive, a docker-archive) and the Image they yield, whose layers can be opened
// as verified, decompressed tar streams, in parallel.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/decompress.h"
#include "bulkhead/archive/tar_index.h"
#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/image/manifest.h"
#include "bulkhead/image/reference.h"

namespace bulkhead::image {

/// A read-only tree of files holding an image: a directory or an indexed archive.
/// Implementations are thread-safe.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  /// Opens the file at relative `path`. NotFound when absent. Never leaves the store.
  virtual Result<std::unique_ptr<archive::ByteSource>> Open(std::string_view path) const = 0;
  virtual bool Exists(std::string_view path) const = 0;
  /// For error messages: the directory or archive path.
  virtual const std::string& name() const = 0;
  /// Reads a whole small file (manifests, configs), bounded by `max_bytes`.
  Result<std::string> Read(std::string_view path, uint64_t max_bytes) const;
};

/// A store over directory `dir`. Paths with ".." or links out of `dir` are refused.
std::shared_ptr<BlobStore> OpenDirectoryStore(const std::string& dir);
/// A store over a tar archive (plain, gzip or zstd).
Result<std::shared_ptr<BlobStore>> OpenArchiveStore(const std::string& path,
                                                    const archive::TarIndexLimits& limits);

struct SourceOptions {
  /// The wanted platform for multi-platform images; the host's when unset.
  std::optional<Platform> platform;
  archive::TarIndexLimits archive_limits;
};

/// One image, resolved to a single manifest and config. Thread-safe: layers may be
/// opened and read concurrently.
class Image {
 public:
  struct LayerBlob {
    std::string path;             ///< In the store.
    std::string expected_digest;  ///< Of the stored blob; empty when unknown (docker-archive).
    int64_t expected_size = -1;
  };

  Image(std::shared_ptr<BlobStore> store, Target target, ImageConfig config,
        std::vector<LayerInfo> layers, std::vector<LayerBlob> blobs);

  const Target& target() const { return target_; }
  const ImageConfig& config() const { return config_; }
  const std::vector<LayerInfo>& layers() const { return layers_; }

  /// Opens layer `i` as an uncompressed tar stream. While it streams, the stored blob is
  /// checked against its digest and size, and the uncompressed bytes against the
  /// config's diff_id; a mismatch fails the read that reaches the end. With
  /// `read_ahead`, reading and decompressing run on a thread of their own.
  Result<std::unique_ptr<archive::ByteSource>> OpenLayer(size_t i,
                                                         const archive::DecompressOptions& options,
                                                         bool read_ahead = false) const;

  /// Reads the stored blob of layer `i` once more and checks only its digest and size.
  /// Used after a layer failed to decompress, to tell tampering ("digest mismatch")
  /// from a blob that was corrupt when it was made. OK when the digest is unknown.
  Status VerifyLayerBlob(size_t i) const;

 private:
  std::shared_ptr<BlobStore> store_;
  Target target_;
  ImageConfig config_;
  std::vector<LayerInfo> layers_;
  std::vector<LayerBlob> blobs_;
};

/// Opens the image named by `spec` (not a rootfs). Errors name the source and say what
/// is wrong: no such file, not an image, a missing blob, no matching platform or tag.
Result<std::unique_ptr<Image>> OpenImage(const SourceSpec& spec, const SourceOptions& options);

// The two readers behind OpenImage, over any store.
Result<std::unique_ptr<Image>> ReadOciLayout(std::shared_ptr<BlobStore> store,
                                             const SourceSpec& spec, const SourceOptions& options);
Result<std::unique_ptr<Image>> ReadDockerArchive(std::shared_ptr<BlobStore> store,
                                                 const SourceSpec& spec);

}  // namespace bulkhead::image
