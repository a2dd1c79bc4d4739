// Streaming decompression of layer blobs: gzip (ISA-L, with zlib as the alternative
// engine), zstd, or none. The format is sniffed from the magic bytes, because media types
// lie in the wild (docker-archive stores uncompressed layers named .tar.gz, and so on).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "bulkhead/archive/byte_source.h"

namespace bulkhead::archive {

enum class Compression { kNone, kGzip, kZstd };
std::string_view CompressionName(Compression c);

enum class GzipEngine {
  kDefault,  ///< ISA-L when bulkhead was built with it, zlib otherwise.
  kZlib,     ///< zlib's inflate (for comparison and for tests of both engines).
};

struct DecompressOptions {
  /// A stream that inflates past this many bytes stops with ResourceExhausted
  /// (decompression bombs).
  uint64_t max_output_bytes = uint64_t{64} << 30;
  GzipEngine gzip_engine = GzipEngine::kDefault;
};

/// Sniffs the compression of `in` and returns a source of its decompressed bytes.
/// Errors (truncated or corrupt streams, the output limit) come from Read() and name
/// `in`. Multi-member gzip streams are read whole; anything else after the end of a
/// compressed stream is Corruption.
Result<std::unique_ptr<ByteSource>> OpenDecompressed(std::unique_ptr<ByteSource> in,
                                                     const DecompressOptions& options,
                                                     Compression* detected = nullptr);

/// True when bulkhead was built with ISA-L.
bool HaveIsal();

}  // namespace bulkhead::archive
