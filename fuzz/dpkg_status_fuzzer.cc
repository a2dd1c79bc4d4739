// The dpkg status parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/dpkg_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto stanzas = bulkhead::pkg::ParseDpkgStatus(text, "fuzz", 1000);
  if (stanzas.ok()) {
    for (const auto& s : *stanzas) {
      if (s.package.empty()) __builtin_trap();  // every stanza names its package
    }
  }
  return 0;
}
