// Reading a whole file into memory, bounded: the one place that does it for feeds, rule
// files, hash lists and cache entries.
#pragma once

#include <cstdint>
#include <string>

#include "bulkhead/core/result.h"

namespace bulkhead {

/// The bytes of the regular file at `path`. ResourceExhausted when it is larger than
/// `max_bytes`; InvalidArgument when it is not a regular file (a FIFO or a device would
/// block or never end); IOError when it cannot be read. Messages name `path`.
Result<std::string> ReadFileBounded(const std::string& path, uint64_t max_bytes);

/// A size limit for messages, exact: "32 MiB", "16 GiB", "512 KiB", "1000 bytes".
std::string LimitText(uint64_t bytes);

}  // namespace bulkhead
