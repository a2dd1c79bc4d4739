#include "bulkhead/vulndb/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <tuple>

#include "bulkhead/core/disk_cache.h"
#include "bulkhead/vulndb/ecosystem.h"
#include "bulkhead/vulndb/internal/encoding.h"

namespace bulkhead::vulndb {
namespace {

constexpr const char* kMagic = "bulkhead-vulndb";

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources(name TEXT PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL,
  records INTEGER NOT NULL, withdrawn INTEGER NOT NULL, newest_modified TEXT NOT NULL,
  imported_at TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE vulns(vid INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL,
  aliases BLOB NOT NULL, summary TEXT NOT NULL, modified TEXT NOT NULL, refs BLOB NOT NULL,
  severity INTEGER NOT NULL, severity_source TEXT NOT NULL, cvss_version TEXT,
  cvss_vector TEXT, cvss_score REAL);
CREATE INDEX vulns_by_source ON vulns(source);
CREATE TABLE affected(eco_key TEXT NOT NULL, package TEXT NOT NULL, source TEXT NOT NULL,
  entries BLOB NOT NULL, PRIMARY KEY (eco_key, package, source)) WITHOUT ROWID;
)sql";

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::IOError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

std::string_view Column(sqlite3_stmt* st, int i) {
  const unsigned char* p = sqlite3_column_text(st, i);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<size_t>(sqlite3_column_bytes(st, i)))
           : std::string_view();
}

void Bind(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

void BindBlob(sqlite3_stmt* st, int i, const std::string& s) {
  sqlite3_bind_blob(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

std::string_view BlobColumn(sqlite3_stmt* st, int i) {
  const void* p = sqlite3_column_blob(st, i);
  return p ? std::string_view(static_cast<const char*>(p),
                              static_cast<size_t>(sqlite3_column_bytes(st, i)))
           : std::string_view();
}

// Checks that an open database is ours and of this schema; returns its updated_at.
Result<std::string> CheckSchema(sqlite3* db, const std::string& path) {
  sqlite3_stmt* st = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    version = sqlite3_column_int(st, 0);
  }
  sqlite3_finalize(st);
  std::string magic, updated;
  if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      if (Column(st, 0) == "kind") magic = std::string(Column(st, 1));
      if (Column(st, 0) == "updated_at") updated = std::string(Column(st, 1));
    }
  }
  sqlite3_finalize(st);
  if (magic != kMagic) {
    return Status::Corruption(path + ": not a bulkhead vulnerability database");
  }
  if (version != kSchemaVersion) {
    return Status::Unsupported(path + ": database schema " + std::to_string(version) +
                               ", this bulkhead reads schema " + std::to_string(kSchemaVersion) +
                               "; rebuild it with 'bulkhead db update' or 'bulkhead db import'");
  }
  return updated;
}

Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": cannot open to sync");
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::OK() : Status::IOError(path + ": fsync failed");
}

}  // namespace

std::string DefaultDatabasePath() { return CacheHome() + "/db.sqlite"; }

std::optional<int64_t> AgeInDays(std::string_view rfc3339) {
  std::tm tm{};
  const std::string text(rfc3339.substr(0, 32));
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end != '\0') return std::nullopt;
  const std::time_t then = timegm(&tm);
  const std::time_t now = std::time(nullptr);
  return static_cast<int64_t>((now - then) / 86400);
}

Database::~Database() {
  sqlite3_finalize(lookup_);
  sqlite3_finalize(load_);
  sqlite3_close(db_);
}

Result<std::unique_ptr<Database>> Database::OpenReadOnly(const std::string& path) {
  struct stat sb;
  if (::stat(path.c_str(), &sb) != 0) {
    return Status::NotFound(path + ": no vulnerability database");
  }
  std::unique_ptr<Database> d(new Database());
  d->path_ = path;
  // Writers never change a database file in place (they rename a new one over it), so
  // readers may open it immutable: no file locks and no change checks per query, which
  // otherwise cost system calls for every package looked up.
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", static_cast<unsigned char>(c));
      uri += buf;
    } else {
      uri.push_back(c);
    }
  }
  uri += "?immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &d->db_,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI,
                      nullptr) != SQLITE_OK) {
    return Status::Corruption(path + ": cannot open the database (" +
                              std::string(d->db_ ? sqlite3_errmsg(d->db_) : "no memory") + ")");
  }
  Result<std::string> updated = CheckSchema(d->db_, path);
  if (!updated.ok()) return updated.error();
  d->updated_at_ = std::move(updated).value();
  sqlite3_exec(d->db_, "PRAGMA mmap_size = 1073741824", nullptr, nullptr, nullptr);
  constexpr const char* kLookup =
      "SELECT entries FROM affected WHERE eco_key = ?1 AND package = ?2";
  constexpr const char* kLoad =
      "SELECT source, id, aliases, summary, modified, refs, severity, severity_source, "
      "cvss_version, cvss_vector, cvss_score FROM vulns WHERE vid = ?1";
  if (sqlite3_prepare_v2(d->db_, kLookup, -1, &d->lookup_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(d->db_, kLoad, -1, &d->load_, nullptr) != SQLITE_OK) {
    return Status::Corruption(path + ": " + sqlite3_errmsg(d->db_));
  }
  return d;
}

Status Database::Lookup(std::string_view key, std::string_view package,
                        std::vector<Candidate>* out) {
  sqlite3_reset(lookup_);
  Bind(lookup_, 1, key);
  const std::string normalized = NormalizePackageName(key, package);
  Bind(lookup_, 2, normalized);
  const size_t first = out->size();
  int rc;
  while ((rc = sqlite3_step(lookup_)) == SQLITE_ROW) {
    std::string_view entries = BlobColumn(lookup_, 0);
    internal::EntryView e;
    while (internal::NextEntry(&entries, &e)) {
      if (e.status > static_cast<int>(VulnStatus::kUnderInvestigation)) {
        return Status::Corruption(path_ + ": bad stored status");
      }
      Candidate c;
      c.vid = static_cast<int64_t>(e.vid);
      c.seq = static_cast<int64_t>(e.seq);
      c.id = std::string(e.id);
      Affected& a = c.affected;
      a.status = static_cast<VulnStatus>(e.status);
      a.status_note = std::string(e.status_note);
      Result<std::vector<Range>> ranges = internal::DecodeRanges(e.ranges);
      if (!ranges.ok()) {
        return Status::Corruption(path_ + ": " + std::string(ranges.error().message()));
      }
      a.ranges = std::move(ranges).value();
      a.versions = internal::DecodeList(e.versions);
      a.severity = static_cast<Severity>(e.severity & 7);
      a.severity_source = std::string(e.severity_source);
      out->push_back(std::move(c));
    }
    if (!entries.empty()) return Status::Corruption(path_ + ": bad stored entry");
  }
  if (rc != SQLITE_DONE) return SqlError(db_, path_ + ": lookup failed");
  // Rows are per source and batch; callers get one order whatever the layout.
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const Candidate& a, const Candidate& b) {
              return std::tie(a.id, a.vid, a.seq) < std::tie(b.id, b.vid, b.seq);
            });
  return Status::OK();
}

Status Database::LoadVulnerability(int64_t vid, Vulnerability* out, std::string* source) {
  sqlite3_reset(load_);
  sqlite3_bind_int64(load_, 1, vid);
  const int rc = sqlite3_step(load_);
  if (rc != SQLITE_ROW) {
    return rc == SQLITE_DONE
               ? Status::Corruption(path_ + ": record " + std::to_string(vid) + " is missing")
               : SqlError(db_, path_);
  }
  Vulnerability& v = *out;
  if (source) *source = std::string(Column(load_, 0));
  v.id = std::string(Column(load_, 1));
  v.aliases = internal::DecodeList(BlobColumn(load_, 2));
  v.summary = std::string(Column(load_, 3));
  v.modified = std::string(Column(load_, 4));
  v.references = internal::DecodeList(BlobColumn(load_, 5));
  v.severity = static_cast<Severity>(sqlite3_column_int(load_, 6) & 7);
  v.severity_source = std::string(Column(load_, 7));
  v.cvss.reset();
  if (sqlite3_column_type(load_, 8) != SQLITE_NULL) {
    v.cvss = CvssScore{std::string(Column(load_, 8)), std::string(Column(load_, 9)),
                       sqlite3_column_double(load_, 10)};
  }
  return Status::OK();
}

Result<bool> Database::HasRecords(std::string_view key) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "SELECT 1 FROM affected WHERE eco_key = ?1 LIMIT 1", -1, &st,
                         nullptr) != SQLITE_OK) {
    return SqlError(db_, path_);
  }
  Bind(st, 1, key);
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, path_);
  return rc == SQLITE_ROW;
}

Result<std::vector<SourceInfo>> Database::Sources() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "SELECT name, kind, location, records, withdrawn, newest_modified, "
                         "imported_at FROM sources ORDER BY name",
                         -1, &st, nullptr) != SQLITE_OK) {
    return SqlError(db_, path_);
  }
  std::vector<SourceInfo> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back({std::string(Column(st, 0)), std::string(Column(st, 1)),
                   std::string(Column(st, 2)), sqlite3_column_int64(st, 3),
                   sqlite3_column_int64(st, 4), std::string(Column(st, 5)),
                   std::string(Column(st, 6))});
  }
  sqlite3_finalize(st);
  return out;
}

DatabaseWriter::~DatabaseWriter() {
  sqlite3_finalize(insert_vuln_);
  sqlite3_finalize(insert_affected_);
  sqlite3_finalize(select_affected_);
  sqlite3_close(db_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

Status DatabaseWriter::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError(temp_path_ + ": " + msg);
  }
  return Status::OK();
}

Result<std::unique_ptr<DatabaseWriter>> DatabaseWriter::Begin(const std::string& path,
                                                              size_t flush_bytes) {
  std::unique_ptr<DatabaseWriter> w(new DatabaseWriter());
  w->path_ = path;
  w->flush_bytes_ = flush_bytes;
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  w->temp_path_ = path + ".tmp-" + std::to_string(::getpid());
  ::unlink(w->temp_path_.c_str());
  if (sqlite3_open_v2(w->temp_path_.c_str(), &w->db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return SqlError(w->db_, w->temp_path_ + ": cannot create the database");
  }
  // A fresh file that is renamed into place only when complete needs no journal and no
  // syncs until then. Set before the schema is written: each statement would otherwise
  // be its own synced transaction (5.7 ms of a 60 ms import).
  BULKHEAD_RETURN_IF_ERROR(
      w->Exec("PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
              "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -262144; "
              "PRAGMA temp_store = MEMORY"));
  struct stat sb;
  bool copied = false;
  if (::stat(path.c_str(), &sb) == 0) {
    // Start from a copy of the current database, which must be ours. One of another
    // schema cannot be carried over: start afresh and say so.
    sqlite3* old = nullptr;
    if (sqlite3_open_v2(path.c_str(), &old, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(old);
      return Status::Corruption(path + ": cannot open the existing database");
    }
    Result<std::string> checked = CheckSchema(old, path);
    if (checked.ok()) {
      sqlite3_backup* b = sqlite3_backup_init(w->db_, "main", old, "main");
      copied = b && sqlite3_backup_step(b, -1) == SQLITE_DONE;
      sqlite3_backup_finish(b);
      sqlite3_close(old);
      if (!copied) return SqlError(w->db_, path + ": cannot copy the existing database");
    } else {
      sqlite3_close(old);
      if (checked.error().code() != StatusCode::kUnsupported) return checked.error();
      w->notice_ = std::string(checked.error().message()) +
                   "; starting a new database (import its other sources again)";
    }
  }
  BULKHEAD_RETURN_IF_ERROR(w->Exec("BEGIN"));
  if (!copied) {
    BULKHEAD_RETURN_IF_ERROR(w->Exec(kSchema));
    BULKHEAD_RETURN_IF_ERROR(
        w->Exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str()));
    BULKHEAD_RETURN_IF_ERROR(
        w->Exec("INSERT INTO meta(key, value) VALUES ('kind', 'bulkhead-vulndb')"));
  }
  if (sqlite3_prepare_v2(w->db_,
                         "INSERT INTO vulns(source, id, aliases, summary, modified, refs, "
                         "severity, severity_source, cvss_version, cvss_vector, cvss_score, "
                         "vid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                         -1, &w->insert_vuln_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(w->db_,
                         "INSERT OR REPLACE INTO affected(eco_key, package, source, entries) "
                         "VALUES (?1, ?2, ?3, ?4)",
                         -1, &w->insert_affected_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(w->db_,
                         "SELECT entries FROM affected WHERE eco_key = ?1 AND package = ?2 "
                         "AND source = ?3",
                         -1, &w->select_affected_, nullptr) != SQLITE_OK) {
    return SqlError(w->db_, w->temp_path_);
  }
  return w;
}

Status DatabaseWriter::BeginSource(const std::string& name, const std::string& kind,
                                   const std::string& location) {
  source_ = name;
  kind_ = kind;
  location_ = location;
  records_ = 0;
  withdrawn_ = 0;
  newest_modified_.clear();
  flushed_in_source_ = false;
  {
    sqlite3_stmt* max = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT COALESCE(MAX(vid), 0) + 1 FROM vulns", -1, &max, nullptr) !=
            SQLITE_OK ||
        sqlite3_step(max) != SQLITE_ROW) {
      sqlite3_finalize(max);
      return SqlError(db_, temp_path_);
    }
    next_vid_ = sqlite3_column_int64(max, 0);
    sqlite3_finalize(max);
  }
  sqlite3_stmt* st = nullptr;
  for (const char* sql :
       {"DELETE FROM affected WHERE source = ?1", "DELETE FROM vulns WHERE source = ?1",
        "DELETE FROM sources WHERE name = ?1"}) {
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) {
      return SqlError(db_, temp_path_);
    }
    Bind(st, 1, name);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return SqlError(db_, temp_path_);
  }
  return Status::OK();
}

Result<PreparedRecord> DatabaseWriter::Prepare(const Vulnerability& v, int64_t vid) {
  // Workers resolve the same few ecosystem names again and again.
  thread_local EcosystemKeyCache eco_keys;
  PreparedRecord p;
  p.vid = vid;
  p.aliases = internal::EncodeList(v.aliases);
  p.references = internal::EncodeList(v.references);
  for (const Affected& a : v.affected) {
    Result<std::string_view> eco_key = eco_keys.Key(a.ecosystem);
    if (!eco_key.ok())
      return Status::InvalidArgument(v.id + ": " + std::string(eco_key.error().message()));
    const std::string ranges = internal::EncodeRanges(a.ranges);
    const std::string versions = internal::EncodeList(a.versions);
    AffectedFields f;
    f.eco_key = *eco_key;
    f.package = a.package;
    f.status = a.status;
    f.severity = a.severity;
    f.status_note = a.status_note;
    f.ranges = ranges;
    f.versions = versions;
    f.severity_source = a.severity_source;
    PrepareAffected(v.id, f, &p);
  }
  return p;
}

void DatabaseWriter::PrepareAffected(std::string_view id, const AffectedFields& a,
                                     PreparedRecord* p) {
  thread_local std::string key, entry;
  key.assign(a.eco_key);
  key.push_back('\0');
  AppendNormalizedPackageName(a.eco_key, a.package, &key);
  internal::EntryView e;
  e.id = id;
  e.vid = static_cast<uint64_t>(p->vid);
  e.seq = p->row_count++;
  e.status = static_cast<uint8_t>(a.status);
  e.severity = static_cast<uint8_t>(a.severity);
  e.status_note = a.status_note;
  e.ranges = a.ranges;
  e.versions = a.versions;
  e.severity_source = a.severity_source;
  entry.clear();
  internal::AppendEntry(e, &entry);
  internal::AppendRow(key, entry, &p->rows);
}

Status DatabaseWriter::Add(const Vulnerability& v) {
  Result<PreparedRecord> p = Prepare(v, next_vid_);
  if (!p.ok()) return p.error();
  return AddPrepared(v, *p);
}

Status DatabaseWriter::AddPrepared(const Vulnerability& v, const PreparedRecord& p) {
  if (p.vid < next_vid_) return Status::Internal("record ids must grow");
  sqlite3_stmt* st = insert_vuln_;
  sqlite3_reset(st);
  Bind(st, 1, source_);
  Bind(st, 2, v.id);
  BindBlob(st, 3, p.aliases);
  Bind(st, 4, v.summary);
  Bind(st, 5, v.modified);
  BindBlob(st, 6, p.references);
  sqlite3_bind_int(st, 7, static_cast<int>(v.severity));
  Bind(st, 8, v.severity_source);
  if (v.cvss) {
    Bind(st, 9, v.cvss->version);
    Bind(st, 10, v.cvss->vector);
    sqlite3_bind_double(st, 11, v.cvss->score);
  } else {
    for (int i = 9; i <= 11; ++i) sqlite3_bind_null(st, i);
  }
  sqlite3_bind_int64(st, 12, p.vid);
  if (sqlite3_step(st) != SQLITE_DONE) return SqlError(db_, temp_path_);
  next_vid_ = p.vid + 1;
  std::string_view rows = p.rows, key, entry;
  while (internal::NextRow(&rows, &key, &entry)) {
    auto row = pending_.find(key);
    if (row == pending_.end()) row = pending_.emplace(key, std::string()).first;
    row->second += entry;
    pending_bytes_ += entry.size();
  }
  if (!rows.empty()) return Status::Internal("malformed prepared rows");
  if (pending_bytes_ >= flush_bytes_) BULKHEAD_RETURN_IF_ERROR(FlushRows());
  ++records_;
  if (v.modified > newest_modified_) newest_modified_ = v.modified;
  return Status::OK();
}

Status DatabaseWriter::FlushRows() {
  std::vector<std::pair<const std::string, std::string>*> rows;
  rows.reserve(pending_.size());
  for (auto& kv : pending_) rows.push_back(&kv);
  std::sort(rows.begin(), rows.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  std::string merged;
  for (auto* row : rows) {
    const std::string_view key = row->first;
    const size_t split = key.find('\0');
    const std::string_view eco_key = key.substr(0, split);
    const std::string_view package = key.substr(split + 1);
    const std::string* entries = &row->second;
    if (flushed_in_source_) {
      // An earlier batch of this source may hold entries of this package already.
      sqlite3_stmt* sel = select_affected_;
      sqlite3_reset(sel);
      Bind(sel, 1, eco_key);
      Bind(sel, 2, package);
      Bind(sel, 3, source_);
      const int rc = sqlite3_step(sel);
      if (rc == SQLITE_ROW) {
        merged = BlobColumn(sel, 0);
        merged += row->second;
        entries = &merged;
      }
      sqlite3_reset(sel);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db_, temp_path_);
    }
    sqlite3_stmt* st = insert_affected_;
    sqlite3_reset(st);
    Bind(st, 1, eco_key);
    Bind(st, 2, package);
    Bind(st, 3, source_);
    sqlite3_bind_blob(st, 4, entries->data(), static_cast<int>(entries->size()), SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) return SqlError(db_, temp_path_);
  }
  sqlite3_reset(insert_affected_);
  sqlite3_clear_bindings(insert_affected_);
  pending_.clear();
  pending_bytes_ = 0;
  flushed_in_source_ = true;
  return Status::OK();
}

Status DatabaseWriter::EndSource() {
  BULKHEAD_RETURN_IF_ERROR(FlushRows());
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO sources(name, kind, location, records, withdrawn, "
                         "newest_modified, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         -1, &st, nullptr) != SQLITE_OK) {
    return SqlError(db_, temp_path_);
  }
  Bind(st, 1, source_);
  Bind(st, 2, kind_);
  Bind(st, 3, location_);
  sqlite3_bind_int64(st, 4, records_);
  sqlite3_bind_int64(st, 5, withdrawn_);
  Bind(st, 6, newest_modified_);
  Bind(st, 7, NowUtc());
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? Status::OK() : SqlError(db_, temp_path_);
}

Status DatabaseWriter::Commit() {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES ('updated_at', ?1)",
                         -1, &st, nullptr) != SQLITE_OK) {
    return SqlError(db_, temp_path_);
  }
  Bind(st, 1, NowUtc());
  const int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return SqlError(db_, temp_path_);
  // No ANALYZE: every query is a primary-key seek, which needs no statistics.
  BULKHEAD_RETURN_IF_ERROR(Exec("COMMIT"));
  sqlite3_finalize(insert_vuln_);
  sqlite3_finalize(insert_affected_);
  sqlite3_finalize(select_affected_);
  insert_vuln_ = insert_affected_ = select_affected_ = nullptr;
  if (sqlite3_close(db_) != SQLITE_OK) return SqlError(db_, temp_path_);
  db_ = nullptr;
  BULKHEAD_RETURN_IF_ERROR(SyncFile(temp_path_));
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return Status::IOError(path_ + ": cannot replace the database");
  }
  committed_ = true;
  std::filesystem::path parent = std::filesystem::path(path_).parent_path();
  (void)SyncFile(parent.empty() ? "." : parent.string());
  return Status::OK();
}

}  // namespace bulkhead::vulndb
