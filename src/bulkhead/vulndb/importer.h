// `bulkhead db import` and `db update`: feeds from files, directories, zips and URLs into
// a DatabaseWriter.
//
// A path is an OSV tree (a directory of *.json records, walked in sorted order without
// following links), an OSV zip as osv.dev publishes per ecosystem (<Ecosystem>/all.zip),
// or one JSON document whose shape says what it is: an OSV record, the Debian security
// tracker's JSON, or an Alpine secdb file. Every input is bounded (record size, entry
// count, total uncompressed bytes: zip bombs stop with ResourceExhausted) and the first
// bad record fails the whole import with a message that names it; the writer is then
// abandoned and the database stays as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/database.h"

namespace bulkhead::vulndb {

struct ImportLimits {
  uint64_t max_record_bytes = 32ull << 20;  ///< One OSV record (one file or zip entry).
  uint64_t max_feed_bytes = 1ull << 30;     ///< One tracker or secdb document.
  uint64_t max_total_bytes = 16ull << 30;   ///< All uncompressed bytes of one zip or tree.
  uint64_t max_entries = 4'000'000;         ///< Files in one zip or tree.
};

struct ImportStats {
  std::string source;
  std::string kind;
  int64_t records = 0;
  int64_t withdrawn = 0;
};

/// Imports `path` as one source. `name` defaults to "<kind>:<last two path parts>";
/// `location` (what `db info` shows) defaults to `path`.
Result<ImportStats> ImportPath(DatabaseWriter& writer, const std::string& path,
                               const ImportLimits& limits = {}, std::string name = "",
                               std::string location = "");

struct ImportInput {
  std::string path;
  std::string name;      ///< Source name; "" for the default.
  std::string location;  ///< What `db info` shows; "" for `path`.
};

/// Imports every input into a new version of the database at `db_path` and makes it
/// visible atomically; on any error nothing changes.
/// `on_notice` hears what the user should know that is not an error (an old database of
/// another schema was replaced).
Result<std::vector<ImportStats>> ImportAll(
    const std::string& db_path, const std::vector<ImportInput>& inputs,
    const ImportLimits& limits = {},
    const std::function<void(const std::string&)>& on_notice = nullptr);

/// `db update`: downloads each URL into a scratch folder and imports it, one after another,
/// each source named "url:<URL>"; the new version of the database is made visible only
/// when every download and import succeeded (a failed download changes nothing).
/// `on_download` hears each URL as its download starts.
Result<std::vector<ImportStats>> UpdateFromUrls(
    const std::string& db_path, const std::vector<std::string>& urls, uint64_t max_bytes,
    const std::function<void(const std::string&)>& on_download = nullptr,
    const std::function<void(const std::string&)>& on_notice = nullptr);

/// The feeds `db update` fetches when no --source is given.
std::vector<std::string> DefaultSources();

/// Downloads `url` to `dest` over HTTP(S) with libcurl, which honours the proxy
/// variables (https_proxy, http_proxy, no_proxy). Fails on HTTP errors, on more than
/// `max_bytes`, and when the transfer stalls.
Status Download(const std::string& url, const std::string& dest, uint64_t max_bytes);

}  // namespace bulkhead::vulndb
