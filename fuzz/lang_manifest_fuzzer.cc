// The remaining application manifests: gemspecs, Gemfile.lock, composer.lock and
// installed.json, *.deps.json, packages.lock.json and Directory.Packages.props. The first
// byte picks the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bulkhead/pkg/dotnet_analyzer.h"
#include "bulkhead/pkg/php_analyzer.h"
#include "bulkhead/pkg/ruby_analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace pkg = bulkhead::pkg;
  switch (data[0] % 6) {
    case 0:
      (void)pkg::ParseGemspec(text, "fuzz");
      break;
    case 1:
      (void)pkg::ParseGemfileLock(text);
      break;
    case 2:
      (void)pkg::ParseComposerPackages(text, "fuzz");
      break;
    case 3:
      (void)pkg::ParseDepsJson(text, "fuzz");
      break;
    case 4:
      (void)pkg::ParseNugetLock(text, "fuzz");
      break;
    default:
      (void)pkg::ParsePackagesProps(text, "fuzz");
  }
  return 0;
}
