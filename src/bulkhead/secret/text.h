// Small, pure text helpers of the secret module: entropy, masking, binary sniffing.
//
// Stateless free functions: thread-safe, no allocation beyond their return values.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bulkhead::secret {

/// Bytes of a file's start that LooksBinary() inspects.
inline constexpr size_t kBinarySniffBytes = 8 * 1024;

/// Shannon entropy of `s` in bits per byte (0 for an empty string; at most 8).
double ShannonEntropy(std::string_view s);

/// The secret with most of it hidden, never the whole value:
///   24 bytes or more: first 4 + "****" + last 2;   12..23: first 4 + "****";
///   8..11: first 2 + "****";   shorter: "****".
/// Bytes that are not printable ASCII in the kept part are shown as '?'.
std::string MaskSecret(std::string_view secret);

/// True when `head` (a file's first bytes, up to kBinarySniffBytes) looks binary: it holds
/// a NUL byte, or more than 30% of its bytes are not part of valid UTF-8 (a multi-byte
/// sequence cut by the end of `head` does not count).
bool LooksBinary(std::string_view head);

/// `text` made safe for a report: valid UTF-8 is kept, tabs become spaces, other control
/// bytes and invalid UTF-8 bytes become '?'. Byte for byte: the result has the same
/// length and every byte keeps its position.
std::string SanitizeForReport(std::string_view text);

}  // namespace bulkhead::secret
