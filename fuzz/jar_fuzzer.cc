// The jar reduction: a zip (possibly nested, possibly a bomb) read through libarchive
// within small bounds, so that the fuzzer explores structure rather than size.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/internal/summary.h"
#include "bulkhead/pkg/java_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bulkhead::pkg::JarLimits limits;
  limits.max_nested_bytes = 1 << 20;
  limits.max_inflated_bytes = 4 << 20;
  limits.max_entries = 10'000;
  bulkhead::pkg::JavaAnalyzer java(limits);
  std::string_view content(reinterpret_cast<const char*>(data), size);
  std::string summary = java.Reduce("/fuzz.jar", content);
  if (!bulkhead::pkg::internal::IsSummary(summary)) __builtin_trap();
  (void)bulkhead::pkg::internal::DecodeSummary(summary);
  return 0;
}
