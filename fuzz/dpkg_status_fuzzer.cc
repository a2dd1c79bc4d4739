// The dpkg status parser, strict and partial: the partial parse keeps a subset of what a
// clean file gives, and agrees with the strict one whenever nothing was malformed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/dpkg_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto strict = bulkhead::pkg::ParseDpkgStatus(text, "fuzz", 1000);
  if (strict.ok()) {
    for (const auto& s : *strict) {
      if (s.package.empty()) __builtin_trap();  // every stanza names its package
    }
  }
  bulkhead::Status problem;
  auto partial = bulkhead::pkg::ParseDpkgStatus(text, "fuzz", 1000, &problem);
  if (partial.ok()) {
    for (const auto& s : *partial) {
      if (s.package.empty()) __builtin_trap();
    }
    if (problem.ok() != strict.ok()) __builtin_trap();
    if (strict.ok() && strict->size() != partial->size()) __builtin_trap();
  } else if (strict.ok()) {
    __builtin_trap();  // only ResourceExhausted fails a partial parse, and then both fail
  }
  return 0;
}
