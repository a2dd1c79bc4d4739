#include "bulkhead/image/overlay.h"

#include "bulkhead/core/path.h"

namespace bulkhead::image {

void Overlay::Erase(std::map<std::string, File, std::less<>>::iterator it, uint32_t by_layer) {
  deleted_[{it->second.layer, it->first}] = by_layer;
  files_.erase(it);
}

// Removes `path` (unless `children_only`) and everything below it.
void Overlay::Remove(std::string_view path, bool children_only, uint32_t by_layer) {
  if (!children_only) {
    auto it = files_.find(path);
    if (it != files_.end()) Erase(it, by_layer);
  }
  std::string prefix(path);
  if (prefix != "/") prefix += '/';
  auto it = files_.lower_bound(prefix);
  while (it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0) {
    auto next = std::next(it);
    Erase(it, by_layer);
    it = next;
  }
}

Overlay Overlay::Build(std::span<const LayerFiles* const> layers) {
  Overlay o;
  for (uint32_t i = 0; i < layers.size(); ++i) {
    const LayerFiles& layer = *layers[i];
    // Whiteouts and opaque markers hide what lower layers hold, never this layer's own.
    for (const std::string& dir : layer.opaque_dirs) o.Remove(dir, /*children_only=*/true, i);
    for (const std::string& path : layer.whiteouts) {
      o.Remove(path, /*children_only=*/false, i);
    }
    for (const LayerFiles::Entry& e : layer.entries) {
      auto it = o.files_.find(e.path);
      if (it != o.files_.end()) {
        bool was_dir = it->second.meta.type == EntryType::kDirectory;
        bool is_dir = e.meta.type == EntryType::kDirectory;
        if (was_dir && is_dir) {
          it->second = {e.meta, it->second.layer};  // metadata update; contents stay
          continue;
        }
        if (it->second.layer != i) o.deleted_[{it->second.layer, e.path}] = i;
        if (was_dir) o.Remove(e.path, /*children_only=*/true, i);
        it->second = {e.meta, i};
        continue;
      }
      o.files_.emplace(e.path, File{e.meta, i});
    }
  }
  return o;
}

const Overlay::File* Overlay::Find(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

Result<std::string> Overlay::Resolve(std::string_view path) const {
  std::string current = CanonicalizePath(path).path;
  int hops = 0;
  // Resolve component by component so that links in parent directories count too.
  for (;;) {
    bool changed = false;
    size_t pos = 1;
    while (pos <= current.size()) {
      size_t slash = current.find('/', pos);
      if (slash == std::string::npos) slash = current.size();
      std::string_view prefix(current.data(), slash);
      const File* f = Find(prefix);
      if (f && (f->meta.type == EntryType::kSymlink || f->meta.type == EntryType::kHardlink)) {
        if (++hops > kMaxLinkHops) {
          return Status::Corruption(std::string(path) + ": too many levels of links");
        }
        std::string target = f->meta.type == EntryType::kSymlink
                                 ? ResolveLinkTarget(prefix, f->meta.link_target).path
                                 : f->meta.link_target;
        std::string rest = current.substr(slash);
        current = CanonicalizePath(target + rest).path;
        changed = true;
        break;
      }
      pos = slash + 1;
    }
    if (!changed) break;
  }
  if (current != "/" && !Find(current)) {
    return Status::NotFound(std::string(path) + ": not in the image");
  }
  return current;
}

std::optional<uint32_t> Overlay::DeletedIn(uint32_t layer, std::string_view path) const {
  auto it = deleted_.find(std::pair<uint32_t, std::string>(layer, std::string(path)));
  if (it == deleted_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bulkhead::image
