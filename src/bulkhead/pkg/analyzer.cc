#include "bulkhead/pkg/analyzer.h"

#include <algorithm>

#include "bulkhead/core/path.h"

namespace bulkhead::pkg {

FileSet::FileSet(const image::Overlay* overlay, std::vector<LayerCapture> captures,
                 std::vector<std::string> layer_digests)
    : overlay_(overlay), captures_(std::move(captures)), layer_digests_(std::move(layer_digests)) {
  // Every analyzer walks the captured files; list the final ones once.
  for (size_t i = 0; i < captures_.size(); ++i) {
    for (const auto& [path, content] : captures_[i]) {
      const image::Overlay::File* f = overlay_->Find(path);
      if (f && f->layer == i) final_paths_.push_back(path);
    }
  }
  std::sort(final_paths_.begin(), final_paths_.end());
}

std::optional<uint32_t> FileSet::FinalLayer(std::string_view path) const {
  Result<std::string> resolved = overlay_->Resolve(path);
  if (!resolved.ok()) return std::nullopt;
  const image::Overlay::File* f = overlay_->Find(*resolved);
  if (!f) return std::nullopt;
  return f->layer;
}

Result<std::string_view> FileSet::ReadFinal(std::string_view path) const {
  BULKHEAD_ASSIGN_OR_RETURN(std::string resolved, overlay_->Resolve(path));
  const image::Overlay::File* f = overlay_->Find(resolved);
  if (!f || f->meta.type != image::EntryType::kFile) {
    return Status::NotFound(std::string(path) + ": not a regular file");
  }
  std::optional<std::string_view> content = ReadInLayer(f->layer, resolved);
  if (!content) return Status::NotFound(std::string(path) + ": content was not captured");
  return *content;
}

std::optional<std::string_view> FileSet::ReadInLayer(size_t layer, std::string_view path) const {
  if (layer >= captures_.size()) return std::nullopt;
  auto it = captures_[layer].find(path);
  if (it == captures_[layer].end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<std::string> FileSet::FinalPathsUnder(std::string_view dir) const {
  std::string prefix(dir);
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  std::vector<std::string> out;
  for (auto it = std::lower_bound(final_paths_.begin(), final_paths_.end(), prefix);
       it != final_paths_.end() && it->compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(*it);
  }
  return out;
}

Status AnalyzerRegistry::Add(std::unique_ptr<Analyzer> analyzer) {
  for (const auto& a : analyzers_) {
    if (a->Type() == analyzer->Type()) {
      return Status::InvalidArgument("analyzer '" + std::string(analyzer->Type()) +
                                     "' is registered twice");
    }
  }
  analyzers_.push_back(std::move(analyzer));
  return Status::OK();
}

bool AnalyzerRegistry::Required(std::string_view path, const FileMeta& meta) const noexcept {
  for (const auto& a : analyzers_) {
    if (a->Required(path, meta)) return true;
  }
  return false;
}

void PackageLayers::Observe(size_t layer,
                            const std::vector<std::pair<std::string, std::string>>& entries) {
  std::map<std::pair<std::string, std::string>, size_t> now;
  for (const auto& key : entries) {
    auto it = first_layer_.find(key);
    now[key] = it != first_layer_.end() ? it->second : layer;
  }
  first_layer_ = std::move(now);
}

std::optional<size_t> PackageLayers::Find(const std::string& key,
                                          const std::string& version) const {
  auto it = first_layer_.find({key, version});
  if (it == first_layer_.end()) return std::nullopt;
  return it->second;
}

bool PathHasPrefix(std::string_view path, std::string_view dir_with_slash) noexcept {
  return path.size() > dir_with_slash.size() &&
         path.compare(0, dir_with_slash.size(), dir_with_slash) == 0;
}

bool PathHasSuffix(std::string_view path, std::string_view suffix) noexcept {
  return path.size() >= suffix.size() &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace bulkhead::pkg
