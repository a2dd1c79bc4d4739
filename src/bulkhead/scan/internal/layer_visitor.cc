#include "bulkhead/scan/internal/layer_visitor.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "bulkhead/secret/text.h"

namespace bulkhead::scan::internal {
namespace {
constexpr size_t kChunkBytes = 256 * 1024;
// How much of a file a reducer's Accepts() sees before the rest is kept for it.
constexpr size_t kReduceHeadBytes = 64;
}  // namespace

LayerVisitor::LayerVisitor(const pkg::AnalyzerRegistry& analyzers, const ScanOptions& options,
                           secret::Scratch* scratch, malware::Scanner* malware,
                           image::LayerFiles* files, ContentPool* pool, LayerContent* pooled)
    : analyzers_(analyzers),
      options_(options),
      scratch_(scratch),
      malware_(malware),
      files_(files),
      pool_(pool),
      pooled_(pooled) {
  for (const auto& a : analyzers_.analyzers()) {
    if (const auto* r = dynamic_cast<const pkg::ReducingAnalyzer*>(a.get())) {
      reducers_.push_back(r);
    } else {
      plain_.push_back(a.get());
    }
  }
}

void LayerVisitor::Note(const std::string& path, std::string message) {
  files_->diagnostics.push_back({"", path, "walk", std::move(message)});
}

bool LayerVisitor::PlainRequired(const std::string& path,
                                 const image::FileMeta& meta) const noexcept {
  for (const pkg::Analyzer* a : plain_) {
    if (a->Required(path, meta)) return true;
  }
  return false;
}

const pkg::ReducingAnalyzer* LayerVisitor::Reducer(const std::string& path,
                                                   const image::FileMeta& meta) const noexcept {
  for (const pkg::ReducingAnalyzer* r : reducers_) {
    if (r->Required(path, meta)) return r;
  }
  return nullptr;
}

Status LayerVisitor::OnEntry(const std::string& path, const image::FileMeta& meta,
                             image::ContentReader& content) {
  if (meta.type == image::EntryType::kHardlink) {
    if (analyzers_.Required(path, meta)) hardlinks_.emplace_back(path, meta.link_target);
    return Status::OK();
  }
  if (meta.type != image::EntryType::kFile) return Status::OK();
  bool capture = PlainRequired(path, meta);
  // A file some analyzer keeps whole is captured whole; reducers read that capture.
  const pkg::ReducingAnalyzer* reducer = capture ? nullptr : Reducer(path, meta);
  if (capture && meta.size > options_.max_file_bytes) {
    Note(path, "file of " + std::to_string(meta.size) +
                   " bytes not analyzed (over --max-file-bytes " +
                   std::to_string(options_.max_file_bytes) + ")");
    capture = false;
  }
  // A reducer reads up to its own limit and --max-file-bytes, whichever is lower.
  const uint64_t reduce_limit =
      reducer ? std::min(reducer->MaxReduceBytes(), options_.max_file_bytes) : 0;
  if (reducer && meta.size > reduce_limit) {
    Note(path, "file of " + std::to_string(meta.size) + " bytes not read by the " +
                   std::string(reducer->Type()) + " analyzer (over its limit of " +
                   std::to_string(reduce_limit) + ")");
    reducer = nullptr;
  }
  std::optional<secret::FileScanner> secrets;
  // With a pool, secrets are scanned there from a buffer: read up to one byte past the cap
  // (so the scanner sees it was cut), and only the head of a file that looks binary.
  const bool pooled_secrets = pool_ && options_.secrets && meta.size > 0;
  const uint64_t secret_cap = options_.secret_options.max_file_bytes;
  const uint64_t secret_keep =
      !pooled_secrets ? 0 : (secret_cap == 0 ? meta.size : std::min(meta.size, secret_cap + 1));
  bool secret_binary = false;
  if (!pool_ && scratch_ && meta.size > 0) {
    Result<secret::FileScanner> started =
        secret::FileScanner::Start(scratch_, path, options_.secret_options);
    if (!started.ok()) return started.error();
    secrets.emplace(std::move(started).value());
  }
  const malware::Engine* engine = options_.malware;
  const bool malware =
      (malware_ || pool_) && engine && meta.size > 0 && engine->MayMatchFileOfSize(meta.size);
  if (!capture && !reducer && !secrets && !pooled_secrets && !malware) return Status::OK();

  // One read of the content serves the capture, the reduction, the secret scan and the
  // malware scan. A reduction gets the bytes as they pass and keeps what it needs; until
  // the file's head says whether it is one to reduce, that head is held in `head`.
  std::string data;
  bool truncated = false;
  const uint64_t keep =
      std::max({capture ? options_.max_file_bytes : uint64_t{0},
                malware ? options_.malware_max_file_bytes : uint64_t{0}, secret_keep});
  if (capture || malware || pooled_secrets) data.reserve(std::min<uint64_t>(meta.size, keep));
  std::string head;
  std::unique_ptr<pkg::Reduction> reduction;
  bool reduction_wants = true;  // false once the reduction needs no more bytes
  uint64_t seen = 0;
  auto feed_reducer = [&](std::string_view chunk, bool at_end) {
    if (!reducer) return;
    if (!reduction) {
      head.append(chunk.substr(0, kReduceHeadBytes - std::min(kReduceHeadBytes, head.size())));
      if (head.size() < kReduceHeadBytes && !at_end) return;
      if (!reducer->Accepts(head)) {
        reducer = nullptr;  // a script, a text file: nothing to reduce
        return;
      }
      reduction = reducer->StartReduction(path, meta.size);
      // The head came from the start of this chunk or from earlier ones.
      std::string_view rest = chunk;
      if (seen - chunk.size() < head.size()) {
        size_t in_head = head.size() - (seen - chunk.size());
        reduction_wants = reduction->Feed(std::string_view(head).substr(0, head.size() - in_head));
      } else {
        reduction_wants = reduction->Feed(head);
        rest = {};
      }
      if (!reduction_wants) return;
      reduction_wants = rest.empty() || reduction->Feed(rest);
      return;
    }
    if (reduction_wants) reduction_wants = reduction->Feed(chunk);
  };
  buffer_.resize(kChunkBytes);
  for (;;) {
    bool secrets_want = secrets && secrets->wants_more();
    if (pooled_secrets && !secret_binary && data.size() >= secret::kBinarySniffBytes &&
        !options_.secret_options.scan_binary) {
      secret_binary =
          secret::LooksBinary(std::string_view(data).substr(0, secret::kBinarySniffBytes));
    }
    const bool pooled_want = pooled_secrets && !secret_binary && data.size() < secret_keep;
    const bool reducer_wants = reducer && (!reduction || reduction_wants);
    if (!capture && !reducer_wants && !secrets_want && !pooled_want && (!malware || truncated)) {
      break;
    }
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, content.Read(buffer_.data(), buffer_.size()));
    if (n == 0) break;
    std::string_view chunk(reinterpret_cast<const char*>(buffer_.data()), n);
    seen += n;
    if ((capture && data.size() + n > keep) || (reducer && seen > reduce_limit)) {
      return Status::ResourceExhausted(path + ": more data than its header declares");
    }
    if ((capture || malware || pooled_secrets) && !truncated) {
      size_t room = static_cast<size_t>(keep - std::min<uint64_t>(keep, data.size()));
      data.append(chunk.substr(0, room));
      truncated = chunk.size() > room;
    }
    feed_reducer(chunk, false);
    if (secrets_want) BULKHEAD_RETURN_IF_ERROR(secrets->Feed(chunk));
  }
  if (reducer && !reduction) feed_reducer({}, true);
  if (pool_ && (malware || pooled_secrets)) {
    ContentJob job;
    job.layer = pooled_;
    job.path = path;
    job.secrets = pooled_secrets;
    job.malware = malware;
    job.malware_bytes = std::min<uint64_t>(data.size(), options_.malware_max_file_bytes);
    job.malware_truncated = truncated || data.size() > options_.malware_max_file_bytes;
    size_t need =
        std::max<size_t>(malware ? job.malware_bytes : 0,
                         pooled_secrets ? std::min<uint64_t>(data.size(), secret_keep) : 0);
    // The captured copy stays here; the pool gets its own (or the buffer itself).
    job.data = capture ? data.substr(0, need) : std::move(data);
    if (job.data.size() > need) job.data.resize(need);
    if (capture && data.size() > options_.max_file_bytes) data.resize(options_.max_file_bytes);
    pool_->Submit(std::move(job));
  } else if (malware) {
    const bool cut = truncated || data.size() > options_.malware_max_file_bytes;
    std::string_view scanned(data.data(),
                             std::min<uint64_t>(data.size(), options_.malware_max_file_bytes));
    {
      std::vector<malware::Match> matches;
      Status s = malware_->ScanFile(path, scanned, cut, &matches);
      if (!s.ok()) Note(path, "malware scan incomplete: " + std::string(s.message()));
      for (malware::Match& m : matches) malware_matches_.emplace_back(path, std::move(m));
    }
  }
  if (capture) {
    captures_[path] = std::move(data);
  } else if (reduction) {
    captures_[path] = reduction->Finish();  // a summary: the file itself was never kept
  }
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
