#include "bulkhead/scan/internal/content_pool.h"

#include <algorithm>

namespace bulkhead::scan::internal {
namespace {
constexpr size_t kFeedBytes = 256 * 1024;
}  // namespace

Status LayerContent::Wait() {
  if (pool_) pool_->Release(this);
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return pending_ == 0; });
  return error_;
}

Result<std::unique_ptr<ContentPool>> ContentPool::Create(const secret::Engine* secrets,
                                                         const secret::ScanOptions& secret_options,
                                                         const malware::Engine* malware,
                                                         size_t workers,
                                                         uint64_t max_bytes_in_flight) {
  std::unique_ptr<ContentPool> pool(new ContentPool());
  pool->secret_options_ = secret_options;
  pool->max_bytes_ = max_bytes_in_flight;
  for (size_t i = 0; i < std::max<size_t>(workers, 1); ++i) {
    auto w = std::make_unique<Worker>();
    if (secrets) {
      BULKHEAD_ASSIGN_OR_RETURN(w->scratch, secrets->NewScratch());
    }
    if (malware) {
      BULKHEAD_ASSIGN_OR_RETURN(w->scanner, malware::Scanner::Create(*malware));
    }
    pool->workers_.push_back(std::move(w));
  }
  for (auto& w : pool->workers_) {
    pool->threads_.emplace_back([p = pool.get(), worker = w.get()] { p->Work(worker); });
  }
  return pool;
}

ContentPool::~ContentPool() {
  // Submitters are done by now (the pool's contract), so their staged files can go.
  std::vector<LayerContent*> staging;
  {
    std::lock_guard<std::mutex> lock(mu_);
    staging.swap(staging_layers_);
  }
  for (LayerContent* layer : staging) {
    if (!layer->staged_.empty()) Enqueue(layer);
    layer->pool_ = nullptr;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  has_work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ContentPool::Submit(ContentJob job) {
  LayerContent* layer = job.layer;
  if (layer->pool_ == nullptr) {
    layer->pool_ = this;
    std::lock_guard<std::mutex> lock(mu_);
    staging_layers_.push_back(layer);
  }
  layer->staged_bytes_ += job.data.size();
  layer->staged_.push_back(std::move(job));
  if (layer->staged_.size() >= kBatchFiles || layer->staged_bytes_ >= kBatchBytes) {
    Enqueue(layer);
  }
}

void ContentPool::Release(LayerContent* layer) {
  if (!layer->staged_.empty()) Enqueue(layer);
  layer->pool_ = nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  staging_layers_.erase(std::remove(staging_layers_.begin(), staging_layers_.end(), layer),
                        staging_layers_.end());
}

void ContentPool::Enqueue(LayerContent* layer) {
  std::vector<ContentJob> batch;
  batch.swap(layer->staged_);
  const uint64_t bytes = layer->staged_bytes_;
  layer->staged_bytes_ = 0;
  {
    std::lock_guard<std::mutex> lock(layer->mu_);
    layer->pending_ += batch.size();
  }
  std::unique_lock<std::mutex> lock(mu_);
  has_room_.wait(lock, [&] { return bytes_queued_ == 0 || bytes_queued_ + bytes <= max_bytes_; });
  bytes_queued_ += bytes;
  queue_.push_back(std::move(batch));
  lock.unlock();
  has_work_.notify_one();
}

void ContentPool::Work(Worker* worker) {
  for (;;) {
    std::vector<ContentJob> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      has_work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left
      batch = std::move(queue_.front());
      queue_.pop_front();
      for (const ContentJob& job : batch) bytes_queued_ -= job.data.size();
    }
    has_room_.notify_all();
    for (ContentJob& job : batch) Scan(*worker, job);
  }
}

void ContentPool::Scan(Worker& worker, ContentJob& job) {
  std::vector<malware::Match> malware;
  std::vector<secret::SecretMatch> secrets;
  std::vector<std::string> notes;
  Status error;
  if (job.malware && worker.scanner) {
    std::string_view bytes(job.data.data(), std::min(job.malware_bytes, job.data.size()));
    Status s = worker.scanner->ScanFile(job.path, bytes, job.malware_truncated, &malware);
    if (!s.ok()) notes.push_back("malware scan incomplete: " + std::string(s.message()));
  }
  if (job.secrets && worker.scratch) {
    // The same streaming scanner the reader would run, fed from the buffer.
    Result<secret::FileScanner> scanner =
        secret::FileScanner::Start(worker.scratch.get(), job.path, secret_options_);
    if (!scanner.ok()) {
      error = scanner.error();
    } else {
      std::string_view rest = job.data;
      while (!rest.empty() && scanner->wants_more() && error.ok()) {
        const size_t n = std::min(rest.size(), kFeedBytes);
        error = scanner->Feed(rest.substr(0, n));
        rest.remove_prefix(n);
      }
      Status s = scanner->Finish(&secrets);
      if (s.IsResourceExhausted()) {
        notes.push_back("secret scan stopped at --secret-max-file-bytes: " +
                        std::string(s.message()));
      } else if (!s.ok() && error.ok()) {
        error = s;
      }
    }
  }
  LayerContent* layer = job.layer;
  std::lock_guard<std::mutex> lock(layer->mu_);
  for (std::string& n : notes) layer->notes_.push_back({"", job.path, "walk", std::move(n)});
  for (malware::Match& m : malware) layer->malware_.emplace_back(job.path, std::move(m));
  for (secret::SecretMatch& m : secrets) layer->secrets_.emplace_back(job.path, std::move(m));
  if (!error.ok() && layer->error_.ok()) layer->error_ = error;
  // Notified under the lock: once it is released, Wait() may return and the layer's
  // results go away.
  --layer->pending_;
  layer->done_.notify_all();
}

}  // namespace bulkhead::scan::internal
