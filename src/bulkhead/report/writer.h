// Report writers: one entry point, one function per format. Writers are pure functions
// of the Report (sorted beforehand), so the same report always gives the same bytes.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::report {

enum class Format { kTable, kJson, kCycloneDx, kSpdx };

/// "table", "json", "cyclonedx", "spdx" (also "cdx", "spdx-json"); InvalidArgument else.
Result<Format> ParseFormat(std::string_view name);

struct WriteOptions {
  bool color = false;          ///< ANSI colours (table only).
  bool package_files = false;  ///< Include each package's file list (json only).
  std::string tool_version = "0.1.0";
};

Status WriteReport(const Report& report, Format format, const WriteOptions& options,
                   std::ostream& out);

void WriteJson(const Report& report, const WriteOptions& options, std::ostream& out);
void WriteTable(const Report& report, const WriteOptions& options, std::ostream& out);
/// CycloneDX 1.6 JSON: the image as metadata.component, its OS and packages as components.
void WriteCycloneDx(const Report& report, const WriteOptions& options, std::ostream& out);
/// SPDX 2.3 JSON. `created` is the image's own creation time in UTC (to the second), so
/// that output is reproducible; 1970-01-01T00:00:00Z when the image has none.
void WriteSpdx(const Report& report, const WriteOptions& options, std::ostream& out);

/// A name-based UUID (RFC 4122 version 5 layout over SHA-256) of `text`: stable ids for
/// documents that need one.
std::string StableUuid(std::string_view text);

}  // namespace bulkhead::report
