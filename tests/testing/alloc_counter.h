// Counts the allocations of a test binary: a test binary that lists
// tests/testing/alloc_counter.cc among its sources has its global operator new replaced
// (only that binary: it is not part of the bulkhead_testing library).
#pragma once

#include <cstddef>

namespace bulkhead::testing {

/// Allocations made through any operator new since the binary started.
size_t AllocationCount();

}  // namespace bulkhead::testing
