// The vulnerability feed parsers: OSV records, the Debian tracker JSON, Alpine secdb,
// and the YAML-to-JSON path that OSV YAML and secdb YAML take. Checks the invariants
// storage relies on: no control characters in ids and versions, every stored range
// round-trips through the database encoding.
#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/debian_list.h"
#include "bulkhead/vulndb/feeds.h"
#include "bulkhead/vulndb/internal/encoding.h"
#include "bulkhead/vulndb/internal/yaml_json.h"
#include "bulkhead/vulndb/osv.h"
#include "bulkhead/vulndb/ubuntu_cve.h"

namespace {

using namespace bulkhead::vulndb;

bool Clean(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20) return false;
  }
  return true;
}

bulkhead::Status Check(Vulnerability&& v) {
  if (v.id.empty() || !Clean(v.id)) __builtin_trap();
  for (const Affected& a : v.affected) {
    for (const Range& r : a.ranges) {
      for (const Event& e : r.events) {
        if (!Clean(e.version)) __builtin_trap();
      }
    }
    auto back = internal::DecodeRanges(internal::EncodeRanges(a.ranges));
    if (!back.ok() || back->size() != a.ranges.size()) __builtin_trap();
    if (internal::DecodeList(internal::EncodeList(a.versions)).size() != a.versions.size()) {
      __builtin_trap();
    }
  }
  return bulkhead::Status::OK();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static OsvParser* parser = new OsvParser();
  auto osv = parser->Parse(text, "fuzz");
  // The import's path (affected entries encoded straight from the text) stores exactly
  // what Parse and Prepare store, and fails exactly when Parse does.
  PreparedRecord lean;
  auto lean_record = parser->ParsePrepared(text, "fuzz", 1, &lean);
  if (lean_record.ok() != osv.ok()) __builtin_trap();
  if (osv.ok() && osv->has_value()) {
    auto full = DatabaseWriter::Prepare(**osv, 1);
    if (full.ok() && (!lean_record->has_value() || full->rows != lean.rows ||
                      full->aliases != lean.aliases || full->references != lean.references)) {
      __builtin_trap();
    }
  }
  if (osv.ok() && osv->has_value()) Check(std::move(**osv)).IgnoreError();
  ParseDebianTracker(text, "fuzz", Check).IgnoreError();
  ParseAlpineSecdb(text, "fuzz", Check).IgnoreError();
  SniffFeed(text);
  std::vector<DebianIssue> issues;
  if (ParseDebianCveList(text, "fuzz", &issues).ok()) {
    for (const DebianIssue& issue : issues) {
      EmitDebianIssue(issue, KnownDebianReleases(), nullptr, Check).IgnoreError();
    }
  }
  DebianIssue one;
  if (ParseVulnListDebianIssue(text, "fuzz", &one).ok()) {
    EmitDebianIssue(one, KnownDebianReleases(), nullptr, Check).IgnoreError();
  }
  ParseUbuntuCve(text, "fuzz", Check).IgnoreError();
  std::map<std::string, std::string> sources;
  ParseDebianSources(text, &sources);
  // Stored entry lists (a database file may be damaged or hostile): every entry read must
  // lie inside the input, and re-encoding what was read gives back the bytes consumed.
  {
    std::string_view rest = text;
    internal::EntryView e;
    while (internal::NextEntry(&rest, &e)) {
      std::string again;
      internal::AppendEntry(e, &again);
      if (again.size() > text.size()) __builtin_trap();
    }
  }
  if (size < 4096) {
    auto json = internal::YamlToJson(text, "fuzz");
    // What YAML becomes is always valid JSON.
    static simdjson::dom::parser* json_parser = new simdjson::dom::parser();
    if (json.ok() && json_parser->parse(*json).error() != simdjson::SUCCESS) __builtin_trap();
    if (json.ok()) {
      auto again = parser->Parse(*json, "fuzz");
      if (again.ok() && again->has_value()) Check(std::move(**again)).IgnoreError();
    }
  }
  return 0;
}
