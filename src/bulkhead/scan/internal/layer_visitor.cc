#include "bulkhead/scan/internal/layer_visitor.h"

#include <optional>

namespace bulkhead::scan::internal {
namespace {
constexpr size_t kChunkBytes = 256 * 1024;
}

void LayerVisitor::Note(const std::string& path, std::string message) {
  files_->diagnostics.push_back({"", path, "walk", std::move(message)});
}

Status LayerVisitor::OnEntry(const std::string& path, const image::FileMeta& meta,
                             image::ContentReader& content) {
  if (meta.type == image::EntryType::kHardlink) {
    if (analyzers_.Required(path, meta)) hardlinks_.emplace_back(path, meta.link_target);
    return Status::OK();
  }
  if (meta.type != image::EntryType::kFile) return Status::OK();
  bool capture = analyzers_.Required(path, meta);
  if (capture && meta.size > options_.max_file_bytes) {
    Note(path, "file of " + std::to_string(meta.size) +
                   " bytes not analyzed (over --max-file-bytes " +
                   std::to_string(options_.max_file_bytes) + ")");
    capture = false;
  }
  std::optional<secret::FileScanner> secrets;
  if (scratch_ && meta.size > 0) {
    Result<secret::FileScanner> started =
        secret::FileScanner::Start(scratch_, path, options_.secret_options);
    if (!started.ok()) return started.error();
    secrets.emplace(std::move(started).value());
  }
  if (!capture && !secrets) return Status::OK();

  // One read of the content serves both the capture and the secret scan.
  std::string data;
  if (capture) data.reserve(meta.size);
  buffer_.resize(kChunkBytes);
  for (;;) {
    if (!capture && !secrets->wants_more()) break;  // binary, or past the size limit
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, content.Read(buffer_.data(), buffer_.size()));
    if (n == 0) break;
    std::string_view chunk(reinterpret_cast<const char*>(buffer_.data()), n);
    if (capture) {
      if (data.size() + n > options_.max_file_bytes) {
        return Status::ResourceExhausted(path + ": more data than its header declares");
      }
      data.append(chunk);
    }
    if (secrets && secrets->wants_more()) BULKHEAD_RETURN_IF_ERROR(secrets->Feed(chunk));
  }
  if (capture) captures_[path] = std::move(data);
  if (secrets) {
    std::vector<secret::SecretMatch> matches;
    Status s = secrets->Finish(&matches);
    if (s.IsResourceExhausted()) {
      Note(path, "secret scan stopped at --secret-max-file-bytes: " + std::string(s.message()));
    } else if (!s.ok()) {
      return s;
    }
    for (secret::SecretMatch& m : matches) secrets_.emplace_back(path, std::move(m));
  }
  return Status::OK();
}

pkg::FileSet::LayerCapture LayerVisitor::TakeCaptures() {
  for (const auto& [path, target] : hardlinks_) {
    auto it = captures_.find(target);
    if (it != captures_.end()) {
      captures_[path] = it->second;
    } else {
      Note(path, "hard link to " + target + ", whose content was not read");
    }
  }
  return std::move(captures_);
}

}  // namespace bulkhead::scan::internal
