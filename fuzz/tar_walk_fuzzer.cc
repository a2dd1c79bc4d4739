// The layer walk on arbitrary bytes: decompression sniffing, tar parsing, path
// canonicalisation and whiteout handling must never crash, hang or escape the root.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulkhead/archive/decompress.h"
#include "bulkhead/core/path.h"
#include "bulkhead/image/layer_walk.h"

namespace {

class ReadAll final : public bulkhead::image::EntryVisitor {
 public:
  bulkhead::Status OnEntry(const std::string& path, const bulkhead::image::FileMeta&,
                           bulkhead::image::ContentReader& content) override {
    if (path.empty() || path[0] != '/') __builtin_trap();  // canonical paths only
    uint8_t buf[4096];
    for (;;) {
      auto n = content.Read(buf, sizeof(buf));
      if (!n.ok()) return n.error();
      if (*n == 0) return bulkhead::Status::OK();
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bulkhead::archive::DecompressOptions opts;
  opts.max_output_bytes = 8 << 20;
  auto stream = bulkhead::archive::OpenDecompressed(
      bulkhead::archive::OpenMemory(std::string(reinterpret_cast<const char*>(data), size), "fuzz"),
      opts);
  if (!stream.ok()) return 0;
  bulkhead::archive::TarLimits limits;
  limits.max_entries = 10000;
  ReadAll visitor;
  bulkhead::image::LayerFiles files;
  bulkhead::image::WalkLayer(std::move(stream).value(), limits, visitor, &files).IgnoreError();
  for (const auto& w : files.whiteouts) {
    if (bulkhead::CanonicalizePath(w).path != w) __builtin_trap();
  }
  return 0;
}
