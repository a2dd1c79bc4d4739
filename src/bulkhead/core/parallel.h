// A bounded fork-join loop: the only threading primitive the scan pipeline needs.
#pragma once

#include <cstddef>
#include <functional>

namespace bulkhead {

/// Runs fn(0) ... fn(count - 1) on at most `max_threads` threads (the caller's thread is
/// one of them) and returns when all are done. Each index runs exactly once; results go
/// into caller-owned slots indexed by i, so no locking is needed.
/// REQUIRES: fn does not throw. max_threads == 0 means the number of cores.
void ParallelFor(size_t count, size_t max_threads, const std::function<void(size_t)>& fn);

}  // namespace bulkhead
