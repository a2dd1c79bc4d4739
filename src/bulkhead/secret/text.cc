#include "bulkhead/secret/text.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace bulkhead::secret {
namespace {

enum class Utf8 { kValid, kInvalid, kTruncated };

// Checks the UTF-8 sequence at s[i]; on kValid, *len is its length in bytes.
Utf8 CheckUtf8(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  uint32_t min_cp = 0;
  uint32_t cp = 0;
  if (b0 < 0x80) {
    *len = 1;
    return Utf8::kValid;
  } else if ((b0 & 0xE0) == 0xC0) {
    n = 2, min_cp = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, min_cp = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, min_cp = 0x10000, cp = b0 & 0x07;
  } else {
    return Utf8::kInvalid;
  }
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return Utf8::kTruncated;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return Utf8::kInvalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return Utf8::kInvalid;
  *len = n;
  return Utf8::kValid;
}

}  // namespace

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<uint32_t, 256> counts{};
  for (char c : s) ++counts[static_cast<unsigned char>(c)];
  const double n = static_cast<double>(s.size());
  double h = 0;
  for (uint32_t c : counts) {
    if (c == 0) continue;
    const double p = c / n;
    h -= p * std::log2(p);
  }
  return h;
}

std::string MaskSecret(std::string_view secret) {
  size_t head = 0;
  size_t tail = 0;
  if (secret.size() >= 24) {
    head = 4, tail = 2;
  } else if (secret.size() >= 12) {
    head = 4;
  } else if (secret.size() >= 8) {
    head = 2;
  }
  std::string out;
  auto keep = [&out](char c) {
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F) ? c : '?';
  };
  for (size_t i = 0; i < head; ++i) keep(secret[i]);
  out += "****";
  for (size_t i = secret.size() - tail; i < secret.size(); ++i) keep(secret[i]);
  return out;
}

bool LooksBinary(std::string_view head) {
  if (head.size() > kBinarySniffBytes) head = head.substr(0, kBinarySniffBytes);
  if (std::memchr(head.data(), '\0', head.size())) return true;
  size_t invalid = 0;
  for (size_t i = 0; i < head.size();) {
    // Most text is ASCII: skip it eight bytes at a time (this runs on every file).
    uint64_t word;
    while (i + 8 <= head.size() &&
           (std::memcpy(&word, head.data() + i, 8), (word & 0x8080808080808080ull) == 0)) {
      i += 8;
    }
    if (i == head.size()) break;
    if (static_cast<unsigned char>(head[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t len = 1;
    switch (CheckUtf8(head, i, &len)) {
      case Utf8::kValid:
        i += len;
        break;
      case Utf8::kInvalid:
        ++invalid;
        ++i;
        break;
      case Utf8::kTruncated:
        i = head.size();
        break;
    }
  }
  return invalid * 10 > head.size() * 3;
}

std::string SanitizeForReport(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto u = static_cast<unsigned char>(text[i]);
    if (u == '\t') {
      out += ' ';
      ++i;
      continue;
    }
    if (u < 0x20 || u == 0x7F) {
      out += '?';
      ++i;
      continue;
    }
    size_t len = 1;
    if (CheckUtf8(text, i, &len) == Utf8::kValid) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

}  // namespace bulkhead::secret
