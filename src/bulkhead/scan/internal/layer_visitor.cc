#include "bulkhead/scan/internal/layer_visitor.h"

#include <algorithm>
#include <optional>

namespace bulkhead::scan::internal {
namespace {
constexpr size_t kChunkBytes = 256 * 1024;
// The EICAR test file is at most 128 bytes; with no rules or hashes loaded, only files
// that small need reading for malware.
constexpr uint64_t kEicarMaxBytes = 128;
}  // namespace

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
  const malware::Engine* engine = options_.malware;
  const bool malware =
      malware_ && meta.size > 0 &&
      (engine->has_yara_rules() || engine->needs_hashes() || meta.size <= kEicarMaxBytes);
  if (!capture && !secrets && !malware) return Status::OK();

  // One read of the content serves the capture, the secret scan and the malware scan.
  std::string data;
  bool truncated = false;
  const uint64_t keep = std::max(capture ? options_.max_file_bytes : 0,
                                 malware ? options_.malware_max_file_bytes : 0);
  if (capture || malware) data.reserve(std::min<uint64_t>(meta.size, keep));
  buffer_.resize(kChunkBytes);
  for (;;) {
    bool secrets_want = secrets && secrets->wants_more();
    if (!capture && !secrets_want && (!malware || truncated)) break;
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, content.Read(buffer_.data(), buffer_.size()));
    if (n == 0) break;
    std::string_view chunk(reinterpret_cast<const char*>(buffer_.data()), n);
    if (capture && data.size() + n > options_.max_file_bytes) {
      return Status::ResourceExhausted(path + ": more data than its header declares");
    }
    if ((capture || malware) && !truncated) {
      size_t room = static_cast<size_t>(keep - std::min<uint64_t>(keep, data.size()));
      data.append(chunk.substr(0, room));
      truncated = chunk.size() > room;
    }
    if (secrets_want) BULKHEAD_RETURN_IF_ERROR(secrets->Feed(chunk));
  }
  if (malware) {
    std::vector<malware::Match> matches;
    std::string_view scanned(data.data(),
                             std::min<uint64_t>(data.size(), options_.malware_max_file_bytes));
    Status s = malware_->ScanFile(
        path, scanned, truncated || data.size() > options_.malware_max_file_bytes, &matches);
    if (!s.ok()) Note(path, "malware scan incomplete: " + std::string(s.message()));
    for (malware::Match& m : matches) malware_matches_.emplace_back(path, std::move(m));
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
