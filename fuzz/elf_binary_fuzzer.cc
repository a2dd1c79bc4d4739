// The ELF reader of executables: section and program headers, Go build info (both
// layouts) and cargo-auditable's zlib JSON, read whole and streamed in chunks (as the
// layer pass does); and Go's module info text on its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/binary_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  (void)bulkhead::pkg::ReadElfPackages(content);
  bulkhead::pkg::BinaryAnalyzer binary;
  auto reduction = binary.StartReduction("/fuzz", size);
  const size_t chunk = size == 0 ? 1 : 1 + data[size - 1] % 97;
  for (size_t at = 0; at < size; at += chunk) {
    if (!reduction->Feed(content.substr(at, chunk))) break;
  }
  std::string summary = reduction->Finish();
  if (!bulkhead::pkg::internal::IsSummary(summary)) __builtin_trap();
  (void)bulkhead::pkg::ParseGoModInfo(content.substr(0, 16), content);
  return 0;
}
