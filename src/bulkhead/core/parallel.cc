#include "bulkhead/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace bulkhead {

void ParallelFor(size_t count, size_t max_threads, const std::function<void(size_t)>& fn) {
  if (max_threads == 0) max_threads = std::max(1u, std::thread::hardware_concurrency());
  size_t threads = std::min(count, max_threads);
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < count; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace bulkhead
