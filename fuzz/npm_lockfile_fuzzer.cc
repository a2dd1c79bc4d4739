// The npm lockfile parsers: package-lock.json (v1-v3), yarn.lock (v1, berry) and
// pnpm-lock.yaml. The first byte picks the parser; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/npm_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto result = data[0] % 3 == 0   ? bulkhead::pkg::ParsePackageLock(text, "fuzz")
                : data[0] % 3 == 1 ? bulkhead::pkg::ParseYarnLock(text, "fuzz")
                                   : bulkhead::pkg::ParsePnpmLock(text, "fuzz");
  if (result.ok() && result->size() > text.size()) __builtin_trap();  // bounded by input
  return 0;
}
