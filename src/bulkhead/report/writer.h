// Report writers: one entry point, one function per format. Writers are pure functions
// of the Report (sorted beforehand), so the same report always gives the same bytes.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "bulkhead/core/report.h"
#include "bulkhead/core/result.h"

namespace bulkhead::report {

enum class Format { kTable, kJson, kCycloneDx, kSpdx, kSarif, kJunit, kHtml };

/// "table", "json", "cyclonedx", "spdx", "sarif", "junit", "html" (also "cdx", "spdx-json");
/// InvalidArgument else.
Result<Format> ParseFormat(std::string_view name);

struct WriteOptions {
  bool color = false;          ///< ANSI colours (table only).
  bool package_files = false;  ///< Include each package's file list (json only).
  std::string tool_version = "0.1.0";
  /// Where users learn about bulkhead (SARIF tool.driver.informationUri).
  std::string information_uri = "https://bulkhead.invalid/";
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
/// SARIF 2.1.0 as GitHub code scanning ingests it: one run, one rule per distinct finding
/// id, one result per finding; diagnostics become tool execution notifications.
void WriteSarif(const Report& report, const WriteOptions& options, std::ostream& out);
/// JUnit XML: one testsuite; a testcase per NIST control (failed, passed or skipped) and a
/// failed testcase per distinct finding id listing its occurrences.
void WriteJunit(const Report& report, const WriteOptions& options, std::ostream& out);
/// One self-contained HTML page (inline style and script, nothing fetched from anywhere):
/// summary, chart, controls, findings by layer with a filter, packages and diagnostics.
void WriteHtml(const Report& report, const WriteOptions& options, std::ostream& out);

/// A name-based UUID (RFC 4122 version 5 layout over SHA-256) of `text`: stable ids for
/// documents that need one.
std::string StableUuid(std::string_view text);

/// `text` made safe as XML 1.0 or HTML character data and as a quoted attribute value:
/// & < > " ' become references, invalid UTF-8 becomes U+FFFD, and the characters XML 1.0
/// forbids or discourages (C0 controls other than tab and newline, DEL, C1 controls, U+FFFE,
/// U+FFFF) are dropped. CR is kept as "&#13;"; with `attribute`, tab and newline become
/// references too, so that attribute-value normalisation keeps them.
std::string EscapeMarkup(std::string_view text, bool attribute = false);

}  // namespace bulkhead::report
