#include "bulkhead/report/writer.h"

#include "bulkhead/core/sha256.h"

namespace bulkhead::report {

Result<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "cyclonedx" || name == "cdx") return Format::kCycloneDx;
  if (name == "spdx" || name == "spdx-json") return Format::kSpdx;
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "' (choose table, json, cyclonedx or spdx)");
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

}  // namespace bulkhead::report
