// Content scanning off the layer reader's thread. Secrets and malware over every file are
// the heaviest work of a scan; done inline they serialise a layer (and a whole `dir:`
// rootfs) on one core while the reader could go on inflating and walking. The visitor
// hands each file's bytes to this pool; its workers, each with its own secret scratch and
// malware::Scanner, scan them.
//
// Memory is bounded: Submit() blocks while more than `max_bytes_in_flight` wait (one
// bigger file goes alone). Results go to the LayerContent of the submitting layer;
// Wait() returns when all of that layer's files are scanned. Module-private
// (bulkhead::scan::internal). Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"
#include "bulkhead/malware/scanner.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"

namespace bulkhead::scan::internal {

class ContentPool;
struct ContentJob;

/// What one layer's files yield; filled by the pool's workers.
class LayerContent {
 public:
  /// Blocks until every file submitted for this layer has been scanned (handing over the
  /// files still staged first). Returns the first error a secret scan met (other than its
  /// size cap, which is a note). Called by the thread that submits this layer's files.
  Status Wait();
  std::vector<std::pair<std::string, secret::SecretMatch>>& secrets() { return secrets_; }
  std::vector<std::pair<std::string, malware::Match>>& malware() { return malware_; }
  std::vector<Diagnostic>& notes() { return notes_; }

 private:
  friend class ContentPool;
  // Small files are handed to the workers in batches, one wake-up per batch instead of
  // per file (a rootfs of 8,000 headers otherwise spends a tenth of its time in futex
  // calls). Only the submitting thread touches the staged batch.
  std::vector<ContentJob> staged_;
  uint64_t staged_bytes_ = 0;
  ContentPool* pool_ = nullptr;
  std::mutex mu_;
  std::condition_variable done_;
  size_t pending_ = 0;
  Status error_;
  std::vector<std::pair<std::string, secret::SecretMatch>> secrets_;
  std::vector<std::pair<std::string, malware::Match>> malware_;
  std::vector<Diagnostic> notes_;
};

/// One file's bytes and what to do with them.
struct ContentJob {
  LayerContent* layer = nullptr;
  std::string path;
  std::string data;
  bool secrets = false;  ///< Scan data for secrets (binary files: the head only).
  bool malware = false;  ///< Scan data[0, malware_bytes) for malware.
  size_t malware_bytes = 0;
  bool malware_truncated = false;  ///< The file is longer than what is scanned.
};

class ContentPool {
 public:
  /// `workers` threads. `secrets` and `malware` may be null (that scan is not run).
  /// REQUIRES: the engines outlive the pool.
  static Result<std::unique_ptr<ContentPool>> Create(const secret::Engine* secrets,
                                                     const secret::ScanOptions& secret_options,
                                                     const malware::Engine* malware, size_t workers,
                                                     uint64_t max_bytes_in_flight);
  ~ContentPool();  ///< Finishes the queued and staged files, then joins the workers.
  ContentPool(const ContentPool&) = delete;
  ContentPool& operator=(const ContentPool&) = delete;

  /// Queues `job` (staged with its layer's other small files; LayerContent::Wait hands
  /// over what is left). Called by the thread that reads job.layer.
  void Submit(ContentJob job);

 private:
  struct Worker {
    std::unique_ptr<secret::Scratch> scratch;
    std::unique_ptr<malware::Scanner> scanner;
  };
  ContentPool() = default;
  friend class LayerContent;
  static constexpr size_t kBatchFiles = 32;
  static constexpr uint64_t kBatchBytes = 256 * 1024;
  void Enqueue(LayerContent* layer);  // the layer's staged files, as one batch
  void Release(LayerContent* layer);  // Enqueue, and forget the layer
  void Work(Worker* worker);
  void Scan(Worker& worker, ContentJob& job);

  secret::ScanOptions secret_options_;
  std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::deque<std::vector<ContentJob>> queue_;
  std::vector<LayerContent*> staging_layers_;  // layers with staged files (under mu_)
  uint64_t bytes_queued_ = 0;
  uint64_t max_bytes_ = 0;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace bulkhead::scan::internal
