// The Python parsers (core metadata, requirements, Pipfile.lock, poetry.lock, uv.lock) and
// the TOML lockfile reader they share with Cargo.lock. The first byte picks the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/python_analyzer.h"
#include "bulkhead/pkg/rust_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace pkg = bulkhead::pkg;
  switch (data[0] % 6) {
    case 0:
      (void)pkg::ParsePythonMetadata(text, "fuzz");
      break;
    case 1:
      (void)pkg::ParseRequirements(text);
      break;
    case 2:
      (void)pkg::ParsePipfileLock(text, "fuzz");
      break;
    case 3:
      (void)pkg::ParsePoetryLock(text, "fuzz");
      break;
    case 4:
      (void)pkg::ParseUvLock(text, "fuzz");
      break;
    default: {
      pkg::CargoManifest manifest = pkg::ParseCargoManifest(text);
      manifest.name = "app";
      (void)pkg::ParseCargoLock(text, "fuzz", &manifest);
    }
  }
  return 0;
}
