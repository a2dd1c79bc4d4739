#include "bulkhead/report/writer.h"

#include <cstdint>

#include "bulkhead/core/sha256.h"

namespace bulkhead::report {
namespace {

// The code point of the UTF-8 sequence at text[*pos], advancing *pos past it; -1 (and one
// byte) for a byte that does not start a valid, shortest-form sequence of a scalar value.
int32_t NextCodePoint(std::string_view text, size_t* pos) {
  const size_t i = *pos;
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  *pos = i + 1;
  if (b0 < 0x80) return b0;
  size_t len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= text.size() || (byte(i + k) & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *pos = i + len;
  return cp;
}

}  // namespace

Result<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "cyclonedx" || name == "cdx") return Format::kCycloneDx;
  if (name == "spdx" || name == "spdx-json") return Format::kSpdx;
  if (name == "sarif") return Format::kSarif;
  if (name == "junit") return Format::kJunit;
  if (name == "html") return Format::kHtml;
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "' (choose table, json, cyclonedx, spdx, sarif, junit or html)");
}

Status WriteReport(const Report& report, Format format, const WriteOptions& options,
                   std::ostream& out) {
  switch (format) {
    case Format::kTable:
      WriteTable(report, options, out);
      break;
    case Format::kJson:
      WriteJson(report, options, out);
      break;
    case Format::kCycloneDx:
      WriteCycloneDx(report, options, out);
      break;
    case Format::kSpdx:
      WriteSpdx(report, options, out);
      break;
    case Format::kSarif:
      WriteSarif(report, options, out);
      break;
    case Format::kJunit:
      WriteJunit(report, options, out);
      break;
    case Format::kHtml:
      WriteHtml(report, options, out);
      break;
  }
  out.flush();
  if (!out) return Status::IOError("cannot write the report");
  return Status::OK();
}

std::string StableUuid(std::string_view text) {
  std::string hex = Sha256Digest(text).substr(7, 32);
  hex[12] = '5';                                                          // version 5 layout
  hex[16] = "89ab"[std::stoi(std::string(1, hex[16]), nullptr, 16) & 3];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string EscapeMarkup(std::string_view text, bool attribute) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const int32_t cp = NextCodePoint(text, &i);
    switch (cp) {
      case -1:
        out += "\xEF\xBF\xBD";  // U+FFFD
        continue;
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&#39;";
        continue;
      case '\r':
        out += "&#13;";
        continue;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        continue;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        continue;
      default:
        break;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) continue;
    out.append(text, start, i - start);
  }
  return out;
}

}  // namespace bulkhead::report
