// Helpers for the version tests: a seeded random source whose seed is printed (and can
// be forced with BULKHEAD_VERSION_SEED to replay a failure), running a shell command to
// ask a real tool (dpkg, rpm, java, node) for its order, and the allocation counter
// that tests/testing/alloc_counter.cc installs by replacing the global operator new in this binary.
#pragma once

#include "tests/testing/alloc_counter.h"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace bulkhead::version::testing {

/// A generator seeded from the clock, or from $BULKHEAD_VERSION_SEED when set; prints
/// "<what>: seed N" so that a failing run can be replayed.
std::mt19937_64 SeededRng(std::string_view what);

/// Runs `command` with /bin/sh and returns its standard output; `*exit_code` gets the
/// exit status (-1 when it could not run).
std::string RunShell(const std::string& command, int* exit_code);

/// True when `program` is found on $PATH.
bool HaveProgram(const std::string& program);

/// Writes `content` to a fresh file under $TMPDIR and returns its path; the caller
/// removes it.
std::string WriteTempFile(std::string_view content);

/// Calls to any global operator new made so far (tests/testing/alloc_counter.h).
using ::bulkhead::testing::AllocationCount;

/// A uniformly random index below `n`. REQUIRES: n > 0.
inline size_t Pick(std::mt19937_64& rng, size_t n) {
  return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
}

}  // namespace bulkhead::version::testing
