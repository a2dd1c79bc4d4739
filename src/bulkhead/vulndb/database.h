// The on-disk vulnerability database: one SQLite file, by default
// $XDG_CACHE_HOME/bulkhead/db.sqlite (~/.cache/bulkhead/db.sqlite).
//
// Scans open it read-only. Writers never touch it in place: DatabaseWriter builds a
// copy in a temporary file beside it and renames that over the original on Commit, so a
// failed download or import leaves the database as it was, and a scan that runs at the
// same time keeps reading the old file.
//
// Schema (versioned by PRAGMA user_version; a newer or older schema is refused with a
// message that says to rebuild):
//   meta(key, value)                    schema facts and `updated_at`
//   sources(name, kind, location, records, withdrawn, newest_modified, imported_at)
//   vulns(vid, source, id, aliases, summary, modified, refs, severity, ...)
//   affected(eco_key, package, source, entries)   clustered by (eco_key, package, source):
//            one row holds all of a source's entries for a package (internal/encoding.h),
//            so one seek finds them, and an import writes a row per package instead of a
//            row per (package, record): AlmaLinux's 71,329 entries are 10,543 rows.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bulkhead/core/result.h"
#include "bulkhead/vulndb/record.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bulkhead::vulndb {

inline constexpr int kSchemaVersion = 2;

/// $XDG_CACHE_HOME/bulkhead/db.sqlite, or $HOME/.cache/bulkhead/db.sqlite.
std::string DefaultDatabasePath();

/// Whole days since `rfc3339` (as written by the database, "YYYY-MM-DDTHH:MM:SSZ");
/// nullopt when it does not parse.
std::optional<int64_t> AgeInDays(std::string_view rfc3339);

struct SourceInfo {
  std::string name;      ///< e.g. "osv:Debian/all.zip", "debian-tracker:json".
  std::string kind;      ///< "osv", "debian-tracker", "alpine-secdb".
  std::string location;  ///< The path or URL it was imported from.
  int64_t records = 0;
  int64_t withdrawn = 0;
  std::string newest_modified;  ///< The newest `modified` of its records; "" if none.
  std::string imported_at;      ///< UTC, RFC 3339.
};

/// One stored affected entry: what matching evaluates first. The vulnerability's other
/// fields are loaded only for the entries that turn out to matter (LoadVulnerability):
/// most entries a package has are fixed below the installed version.
struct Candidate {
  int64_t vid = 0;
  int64_t seq = 0;  ///< Its place in the record's affected list.
  std::string id;
  Affected affected;  ///< Its `ecosystem` and `package` are left empty: the caller knows them.
};

class Database {
 public:
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// NotFound when there is no file at `path`; Corruption when it is not a bulkhead
  /// database; Unsupported when it is one of another schema version.
  static Result<std::unique_ptr<Database>> OpenReadOnly(const std::string& path);

  /// Every stored entry for `package` under ecosystem key `key` (ecosystem.h), appended
  /// to `out`, ordered by id. Not thread-safe (prepared statements are reused).
  Status Lookup(std::string_view key, std::string_view package, std::vector<Candidate>* out);
  /// The record `vid` (from a Candidate) without its affected entries; `source` gets
  /// the name of the source it came from.
  Status LoadVulnerability(int64_t vid, Vulnerability* out, std::string* source = nullptr);

  /// Whether any record is stored under ecosystem key `key`.
  Result<bool> HasRecords(std::string_view key);
  Result<std::vector<SourceInfo>> Sources();
  /// When the database was last written (UTC, RFC 3339).
  const std::string& updated_at() const { return updated_at_; }
  const std::string& path() const { return path_; }

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* lookup_ = nullptr;
  sqlite3_stmt* load_ = nullptr;
  std::string updated_at_;
  std::string path_;
};

/// A record encoded for storage by DatabaseWriter::Prepare, which any thread may run: the
/// writer's own thread then only inserts (see importer.cc).
struct PreparedRecord {
  int64_t vid = 0;
  std::string aliases;     ///< encoded list
  std::string references;  ///< encoded list
  /// (eco_key '\0' package, encoded entry) per affected entry, in order, in one buffer
  /// (internal::AppendRow): a record of AlmaLinux has a dozen.
  std::string rows;
  uint64_t row_count = 0;
};

/// One affected entry, as PrepareAffected stores it.
struct AffectedFields {
  std::string_view eco_key;  ///< ResolveEcosystem's key
  std::string_view package;  ///< as the feed names it
  VulnStatus status = VulnStatus::kAffected;
  Severity severity = Severity::kUnknown;
  std::string_view status_note;
  std::string_view ranges;    ///< encoded (internal/encoding.h)
  std::string_view versions;  ///< encoded
  std::string_view severity_source;
};

class DatabaseWriter {
 public:
  ~DatabaseWriter();  ///< Without Commit: the temporary file is removed.
  DatabaseWriter(const DatabaseWriter&) = delete;
  DatabaseWriter& operator=(const DatabaseWriter&) = delete;

  /// Starts a new version of the database at `path`: a copy of it when it exists (and
  /// is a bulkhead database), else an empty one.
  /// Entries are buffered up to `flush_bytes` before they are written as rows.
  static Result<std::unique_ptr<DatabaseWriter>> Begin(const std::string& path,
                                                       size_t flush_bytes = size_t{256} << 20);

  /// Starts (or replaces: its old records are deleted) the source `name`.
  Status BeginSource(const std::string& name, const std::string& kind, const std::string& location);
  /// Stores one record of the current source. Affected entries of ecosystems that
  /// ResolveEcosystem refuses are an error.
  Status Add(const Vulnerability& v);
  /// The vid that the next record gets when added now; records may be given any larger
  /// vid (gaps are fine), in increasing order.
  int64_t next_vid() const { return next_vid_; }
  /// Encodes `v` as record `vid`. Thread-safe; the result goes to AddPrepared.
  static Result<PreparedRecord> Prepare(const Vulnerability& v, int64_t vid);
  /// Appends affected entry number p->row_count of record `id` to `p`: the piece of
  /// Prepare that parsers call straight from a feed's text. Thread-safe.
  static void PrepareAffected(std::string_view id, const AffectedFields& a, PreparedRecord* p);
  /// Add, for a record that Prepare encoded. REQUIRES: p.vid >= next_vid().
  Status AddPrepared(const Vulnerability& v, const PreparedRecord& p);
  void CountWithdrawn() { ++withdrawn_; }
  Status EndSource();

  /// Makes the new version visible, atomically (rename). The writer is spent.
  Status Commit();

  /// Non-empty when Begin found a bulkhead database of another schema and started a new
  /// one instead of copying it: says so, for the user.
  const std::string& notice() const { return notice_; }

 private:
  // Affected entries waiting to be stored, grouped by row key (eco_key '\0' package)
  // as they come, so that a flush sorts only the distinct keys. Rows are inserted in
  // key order: appending to the clustered B-tree is several times faster than random
  // inserts.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::string, KeyHash, std::equal_to<>> pending_;
  size_t pending_bytes_ = 0;
  size_t flush_bytes_ = 0;
  int64_t next_vid_ = 1;
  DatabaseWriter() = default;
  Status Exec(const char* sql);
  Status FlushRows();
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_vuln_ = nullptr;
  sqlite3_stmt* insert_affected_ = nullptr;
  sqlite3_stmt* select_affected_ = nullptr;
  bool flushed_in_source_ = false;
  std::string notice_;  // later batches of this source merge into its rows
  std::string path_;
  std::string temp_path_;
  std::string source_;
  std::string kind_;
  std::string location_;
  int64_t records_ = 0;
  int64_t withdrawn_ = 0;
  std::string newest_modified_;
  bool committed_ = false;
};

}  // namespace bulkhead::vulndb
