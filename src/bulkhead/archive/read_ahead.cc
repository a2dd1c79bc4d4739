#include "bulkhead/archive/read_ahead.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace bulkhead::archive {
namespace {

class ReadAheadSource final : public ByteSource {
 public:
  ReadAheadSource(std::unique_ptr<ByteSource> inner, size_t chunk_bytes, size_t chunks)
      : inner_(std::move(inner)), name_(inner_->name()), chunk_bytes_(chunk_bytes) {
    for (size_t i = 0; i < chunks; ++i) free_.push_back(std::vector<uint8_t>(chunk_bytes));
    thread_ = std::thread([this] { Produce(); });
  }

  ~ReadAheadSource() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  Result<size_t> Read(uint8_t* buf, size_t size) override {
    if (current_pos_ == current_len_) {
      std::unique_lock<std::mutex> lock(mu_);
      if (current_len_ > 0 || current_pos_ > 0) {
        free_.push_back(std::move(current_));  // hand the drained chunk back
        current_len_ = current_pos_ = 0;
        cv_.notify_all();
      }
      cv_.wait(lock, [this] { return !full_.empty() || done_; });
      if (full_.empty()) {
        if (!error_.ok()) return error_;
        return size_t{0};
      }
      current_ = std::move(full_.front().first);
      current_len_ = full_.front().second;
      full_.pop_front();
    }
    size_t n = std::min(size, current_len_ - current_pos_);
    std::memcpy(buf, current_.data() + current_pos_, n);
    current_pos_ += n;
    return n;
  }

  const std::string& name() const override { return name_; }

 private:
  void Produce() {
    for (;;) {
      std::vector<uint8_t> chunk;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !free_.empty() || stop_; });
        if (stop_) return;
        chunk = std::move(free_.back());
        free_.pop_back();
      }
      chunk.resize(chunk_bytes_);
      // Fill the chunk, so that the consumer wakes once per chunk, not per small read.
      size_t len = 0;
      Status status;
      bool eof = false;
      while (len < chunk.size()) {
        Result<size_t> n = inner_->Read(chunk.data() + len, chunk.size() - len);
        if (!n.ok()) {
          status = n.error();
          break;
        }
        if (*n == 0) {
          eof = true;
          break;
        }
        len += *n;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (len > 0) full_.emplace_back(std::move(chunk), len);
      if (!status.ok() || eof) {
        error_ = status;
        done_ = true;
        cv_.notify_all();
        return;
      }
      cv_.notify_all();
    }
  }

  std::unique_ptr<ByteSource> inner_;  // used only by the producer thread
  const std::string name_;
  const size_t chunk_bytes_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<uint8_t>> free_;                    // GUARDED_BY(mu_)
  std::deque<std::pair<std::vector<uint8_t>, size_t>> full_;  // GUARDED_BY(mu_)
  Status error_;                                              // GUARDED_BY(mu_)
  bool done_ = false;                                         // GUARDED_BY(mu_)
  bool stop_ = false;                                         // GUARDED_BY(mu_)
  // Consumer-side state.
  std::vector<uint8_t> current_;
  size_t current_len_ = 0;
  size_t current_pos_ = 0;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<ByteSource> ReadAhead(std::unique_ptr<ByteSource> inner, size_t chunk_bytes,
                                      size_t chunks) {
  return std::make_unique<ReadAheadSource>(std::move(inner), chunk_bytes,
                                           std::max<size_t>(chunks, 2));
}

}  // namespace bulkhead::archive
