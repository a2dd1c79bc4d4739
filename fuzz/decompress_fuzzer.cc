// gzip (both engines) and zstd on arbitrary bytes: same output or both fail; bounded.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulkhead/archive/decompress.h"

namespace {

bulkhead::Result<std::string> Inflate(const std::string& in, bulkhead::archive::GzipEngine e) {
  bulkhead::archive::DecompressOptions opts;
  opts.max_output_bytes = 4 << 20;
  opts.gzip_engine = e;
  auto src = bulkhead::archive::OpenDecompressed(bulkhead::archive::OpenMemory(in, "fuzz"), opts);
  if (!src.ok()) return src.error();
  return bulkhead::archive::ReadAll(**src, 8 << 20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  auto isal = Inflate(in, bulkhead::archive::GzipEngine::kDefault);
  auto zlib = Inflate(in, bulkhead::archive::GzipEngine::kZlib);
  // Both engines must agree on what a valid stream decompresses to.
  if (isal.ok() && zlib.ok() && *isal != *zlib) __builtin_trap();
  return 0;
}
