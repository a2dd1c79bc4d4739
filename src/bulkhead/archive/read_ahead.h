// ReadAhead: runs the reads of a ByteSource on a background thread, so that one layer's
// decompression and its tar walk use two cores. Images often have one large base layer;
// without this, its decompression, hashing and parsing would all queue on one core.
//
// The returned source is used from one thread, like any ByteSource. Destroying it early
// stops and joins the background thread.
#pragma once

#include <cstddef>
#include <memory>

#include "bulkhead/archive/byte_source.h"

namespace bulkhead::archive {

/// Reads `inner` ahead by at most `chunks` chunks of `chunk_bytes` each.
std::unique_ptr<ByteSource> ReadAhead(std::unique_ptr<ByteSource> inner,
                                      size_t chunk_bytes = 1 << 20, size_t chunks = 4);

}  // namespace bulkhead::archive
