// The squash: OCI whiteouts and opaque directories applied in layer order, in this one
// place. The result says, for every path of the final image, which layer it comes from,
// and for every file a layer added, which later layer (if any) deleted or replaced it.
//
// Immutable after Build(): thread-safe to query.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bulkhead/core/path.h"  // canonical paths, ResolveLinkTarget: the rules Resolve follows
#include "bulkhead/image/layer_walk.h"

namespace bulkhead::image {

inline constexpr int kMaxLinkHops = 40;

class Overlay {
 public:
  struct File {
    FileMeta meta;
    uint32_t layer = 0;
  };

  /// Squashes `layers`, lowest first.
  static Overlay Build(std::span<const LayerFiles* const> layers);

  /// The file at canonical `path` in the final image, or nullptr.
  const File* Find(std::string_view path) const;

  /// Follows symlinks and hardlinks at `path` and in its parent directories, inside the
  /// root (".." stops at "/"), at most kMaxLinkHops times. Returns the canonical path
  /// of what `path` finally names; NotFound when nothing is there, Corruption on a loop.
  Result<std::string> Resolve(std::string_view path) const;

  /// For a path that layer `layer` added: the index of the later layer that deleted or
  /// replaced it, or nullopt when it is still in the final image.
  std::optional<uint32_t> DeletedIn(uint32_t layer, std::string_view path) const;

  const std::map<std::string, File, std::less<>>& files() const { return files_; }

 private:
  void Remove(std::string_view path, bool children_only, uint32_t by_layer);
  void Erase(std::map<std::string, File, std::less<>>::iterator it, uint32_t by_layer);

  std::map<std::string, File, std::less<>> files_;
  std::map<std::pair<uint32_t, std::string>, uint32_t, std::less<>> deleted_;
};

}  // namespace bulkhead::image
