// The apk installed-database parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/apk_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = bulkhead::pkg::ParseApkInstalled(text, "fuzz", 1000);
  if (records.ok()) {
    for (const auto& r : *records) {
      for (const auto& f : r.files) {
        if (f.empty() || f[0] != '/') __builtin_trap();
      }
    }
  }
  return 0;
}
