#include "bulkhead/vulndb/database.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bulkhead/vulndb/importer.h"
#include "bulkhead/vulndb/internal/encoding.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vulndb {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Vulnerability Sample(std::string id, std::string ecosystem, std::string package) {
  Vulnerability v;
  v.id = std::move(id);
  v.aliases = {"CVE-2024-1"};
  v.summary = "s";
  v.modified = "2024-05-01T00:00:00Z";
  v.references = {"https://a", "https://b"};
  v.severity = Severity::kHigh;
  v.severity_source = "osv:database_specific";
  v.cvss = CvssScore{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8};
  Affected a;
  a.ecosystem = std::move(ecosystem);
  a.package = std::move(package);
  a.status = VulnStatus::kFixed;
  a.status_note = "note";
  Range r;
  r.events = {{Event::Kind::kIntroduced, "0"}, {Event::Kind::kFixed, "1.2-3"}};
  a.ranges = {r};
  a.versions = {"1.0-1", "1.1-1"};
  v.affected = {a};
  return v;
}

Status Write(const std::string& path, const std::string& source,
             const std::vector<Vulnerability>& records) {
  BULKHEAD_ASSIGN_OR_RETURN(std::unique_ptr<DatabaseWriter> w, DatabaseWriter::Begin(path));
  BULKHEAD_RETURN_IF_ERROR(w->BeginSource(source, "osv", "/x"));
  for (const Vulnerability& v : records) BULKHEAD_RETURN_IF_ERROR(w->Add(v));
  BULKHEAD_RETURN_IF_ERROR(w->EndSource());
  return w->Commit();
}

TEST(Encoding, RoundTrips) {
  Range a;
  a.type = Range::Type::kSemver;
  a.events = {{Event::Kind::kIntroduced, "0"},
              {Event::Kind::kFixed, "1.0"},
              {Event::Kind::kLastAffected, "2:3.4~rc1"},
              {Event::Kind::kLimit, "9"}};
  Range b;
  b.events = {{Event::Kind::kIntroduced, "1"}};
  Result<std::vector<Range>> back = internal::DecodeRanges(internal::EncodeRanges({a, b}));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].type, Range::Type::kSemver);
  ASSERT_EQ((*back)[0].events.size(), 4u);
  EXPECT_EQ((*back)[0].events[2].kind, Event::Kind::kLastAffected);
  EXPECT_EQ((*back)[0].events[2].version, "2:3.4~rc1");
  EXPECT_EQ((*back)[1].events[0].version, "1");
  EXPECT_EQ(internal::DecodeList(internal::EncodeList({"a", "b c"})),
            (std::vector<std::string>{"a", "b c"}));
  EXPECT_FALSE(internal::DecodeRanges("Xjunk").ok());
  EXPECT_FALSE(internal::DecodeRanges("Eq1\x1f").ok());
}

TEST(Encoding, EntriesRoundTripAndConcatenate) {
  internal::EntryView a;
  a.id = "GHSA-1";
  a.vid = 300;  // two varint bytes
  a.seq = 2;
  a.status = 3;
  a.severity = 4;
  a.status_note = "postponed";
  a.ranges = "Ei0\x1f";
  a.versions = "";
  a.severity_source = "debian:urgency";
  internal::EntryView b = a;
  b.id = "CVE-2";
  b.vid = 1ull << 40;
  std::string list;
  internal::AppendEntry(a, &list);
  const size_t first_size = list.size();
  internal::AppendEntry(b, &list);
  std::string_view rest = list;
  internal::EntryView out;
  ASSERT_TRUE(internal::NextEntry(&rest, &out));
  EXPECT_EQ(out.id, "GHSA-1");
  EXPECT_EQ(out.vid, 300u);
  EXPECT_EQ(out.seq, 2u);
  EXPECT_EQ(out.status, 3);
  EXPECT_EQ(out.severity, 4);
  EXPECT_EQ(out.status_note, "postponed");
  EXPECT_EQ(out.ranges, "Ei0\x1f");
  EXPECT_EQ(out.severity_source, "debian:urgency");
  ASSERT_TRUE(internal::NextEntry(&rest, &out));
  EXPECT_EQ(out.id, "CVE-2");
  EXPECT_EQ(out.vid, 1ull << 40);
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(internal::NextEntry(&rest, &out));
  // Every cut of a valid list is refused, never read past its end.
  for (size_t cut = 1; cut < list.size(); ++cut) {
    std::string_view part = std::string_view(list).substr(0, cut);
    while (internal::NextEntry(&part, &out)) {
    }
    if (cut != first_size) {
      EXPECT_FALSE(part.empty()) << cut;
    }
  }
  std::string_view huge = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
  EXPECT_FALSE(internal::NextEntry(&huge, &out));
}

TEST(Database, WritesAndReadsBack) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/sub/db.sqlite";
  ASSERT_TRUE(
      Write(path, "osv:test",
            {Sample("DSA-1", "Debian:12", "openssl"), Sample("DSA-2", "Debian:11", "openssl")})
          .ok());
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(path);
  ASSERT_TRUE(db.ok()) << db.error().ToString();
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("Debian:12", "openssl", &c).ok());
  ASSERT_EQ(c.size(), 1u);  // The Debian 11 record never shows under Debian 12.
  EXPECT_EQ(c[0].id, "DSA-1");
  Vulnerability v;
  std::string source;
  ASSERT_TRUE((*db)->LoadVulnerability(c[0].vid, &v, &source).ok());
  EXPECT_EQ(source, "osv:test");
  v.affected = {c[0].affected};
  EXPECT_EQ(v.id, "DSA-1");
  EXPECT_EQ(v.aliases, std::vector<std::string>{"CVE-2024-1"});
  EXPECT_EQ(v.references.size(), 2u);
  EXPECT_EQ(v.severity, Severity::kHigh);
  ASSERT_TRUE(v.cvss.has_value());
  EXPECT_DOUBLE_EQ(v.cvss->score, 9.8);
  ASSERT_EQ(v.affected.size(), 1u);
  EXPECT_EQ(v.affected[0].status, VulnStatus::kFixed);
  EXPECT_EQ(v.affected[0].status_note, "note");
  EXPECT_EQ(v.affected[0].versions.size(), 2u);
  EXPECT_EQ(v.affected[0].ranges[0].events[1].version, "1.2-3");
  Result<bool> has = (*db)->HasRecords("Debian:12");
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  EXPECT_FALSE(*(*db)->HasRecords("Debian:13"));
  Result<std::vector<SourceInfo>> sources = (*db)->Sources();
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources->size(), 1u);
  EXPECT_EQ((*sources)[0].records, 2);
  EXPECT_EQ((*sources)[0].newest_modified, "2024-05-01T00:00:00Z");
  EXPECT_EQ(AgeInDays((*db)->updated_at()).value_or(-1), 0);
}

TEST(Database, ReimportReplacesASourceAndKeepsOthers) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  ASSERT_TRUE(Write(path, "a", {Sample("A-1", "npm", "x")}).ok());
  ASSERT_TRUE(Write(path, "b", {Sample("B-1", "npm", "x")}).ok());
  ASSERT_TRUE(Write(path, "a", {Sample("A-2", "npm", "x")}).ok());
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(path);
  ASSERT_TRUE(db.ok());
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("npm", "x", &c).ok());
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].id, "A-2");
  EXPECT_EQ(c[1].id, "B-1");
  Vulnerability missing;
  EXPECT_FALSE((*db)->LoadVulnerability(987654, &missing).ok());
}

TEST(Database, PyPINamesAreNormalised) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  ASSERT_TRUE(Write(path, "a", {Sample("PYSEC-1", "PyPI", "Foo_Bar.baz")}).ok());
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(path);
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("PyPI", "foo-bar-baz", &c).ok());
  EXPECT_EQ(c.size(), 1u);
}

TEST(Database, AnAbandonedWriterLeavesTheDatabaseAsItWas) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  ASSERT_TRUE(Write(path, "a", {Sample("A-1", "npm", "x")}).ok());
  const std::string before = Slurp(path);
  {
    Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(path);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->BeginSource("a", "osv", "/y").ok());  // Deletes a's rows, in the copy.
    ASSERT_TRUE((*w)->Add(Sample("A-9", "npm", "x")).ok());
  }
  EXPECT_EQ(Slurp(path), before);
  // No temporary files are left behind.
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(Database, BatchesOfOneSourceMergeIntoOnePackageRow) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  // A flush after every record: later batches must merge into the rows already written.
  Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(path, /*flush_bytes=*/1);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->BeginSource("a", "osv", "/x").ok());
  for (const char* id : {"B-2", "A-1", "C-3"}) ASSERT_TRUE((*w)->Add(Sample(id, "npm", "x")).ok());
  ASSERT_TRUE((*w)->Add(Sample("D-4", "npm", "y")).ok());
  ASSERT_TRUE((*w)->EndSource().ok());
  ASSERT_TRUE((*w)->Commit().ok());
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(path);
  ASSERT_TRUE(db.ok());
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("npm", "x", &c).ok());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].id, "A-1");  // ordered by id, whatever the batches
  EXPECT_EQ(c[1].id, "B-2");
  EXPECT_EQ(c[2].id, "C-3");
  EXPECT_EQ(c[2].affected.ranges[0].events[1].version, "1.2-3");
}

TEST(Database, ADatabaseOfAnotherSchemaIsReplacedWithANotice) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/db.sqlite";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
                         "INSERT INTO meta VALUES ('kind', 'bulkhead-vulndb');"
                         "PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  Result<std::unique_ptr<Database>> old = Database::OpenReadOnly(path);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().code(), StatusCode::kUnsupported);
  EXPECT_NE(old.error().message().find("schema 1"), std::string::npos) << old.error().ToString();
  Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(path);
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  EXPECT_NE((*w)->notice().find("schema 1"), std::string::npos) << (*w)->notice();
  ASSERT_TRUE((*w)->BeginSource("a", "osv", "/x").ok());
  ASSERT_TRUE((*w)->Add(Sample("A-1", "npm", "x")).ok());
  ASSERT_TRUE((*w)->EndSource().ok());
  ASSERT_TRUE((*w)->Commit().ok());
  EXPECT_TRUE(Database::OpenReadOnly(path).ok());
}

TEST(Database, RefusesFilesThatAreNotOurs) {
  testing::TempDir dir;
  EXPECT_TRUE(Database::OpenReadOnly(dir.path() + "/none.sqlite").error().IsNotFound());
  const std::string junk = dir.WriteFile("junk.sqlite", "this is not sqlite at all");
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(junk);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.error().message().find("junk.sqlite"), std::string::npos);
  EXPECT_FALSE(DatabaseWriter::Begin(junk).ok());
  EXPECT_EQ(Slurp(junk), "this is not sqlite at all");
}

TEST(Database, UnknownEcosystemIsAnError) {
  testing::TempDir dir;
  Status s = Write(dir.path() + "/db.sqlite", "a", {Sample("A-1", "Nowhere:1", "x")});
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/db.sqlite"));
}

enum class ArchiveKind { kZip, kTarGz };

// Written with libarchive: a zip as osv.dev publishes all.zip, or a gzip-compressed tar as
// AlmaLinux ships its advisories.
std::string WriteArchive(const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& entries,
                         ArchiveKind kind = ArchiveKind::kZip) {
  archive* a = archive_write_new();
  if (kind == ArchiveKind::kZip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  archive_write_open_filename(a, path.c_str());
  for (const auto& [name, data] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return path;
}

constexpr const char* kRecord =
    R"({"id": "GO-1", "modified": "2024-02-02T00:00:00Z", "affected": [{"package":
    {"ecosystem": "Go", "name": "example.com/m"}, "ranges": [{"type": "SEMVER", "events":
    [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}]})";

TEST(Importer, ZipTreeAndSingleRecord) {
  testing::TempDir dir;
  const std::string db_path = dir.path() + "/db.sqlite";
  const std::string zip = WriteArchive(
      dir.path() + "/all.zip",
      {{"GO-1.json", kRecord},
       {"GO-2.json", R"({"id": "GO-2", "modified": "x", "withdrawn": "2024-01-01T00:00:00Z"})"},
       {"README.txt", "not a record"}});
  dir.WriteFile("tree/a/GO-3.json", std::string(kRecord).replace(8, 4, "GO-3"));
  dir.WriteFile("tree/b/PYSEC-1.yaml",
                "id: PYSEC-1\nmodified: '2024-03-03T00:00:00Z'\naffected:\n- package:\n"
                "    ecosystem: PyPI\n    name: Foo\n  versions:\n  - '1.10'\n");
  Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(db_path);
  ASSERT_TRUE(w.ok());
  Result<ImportStats> z = ImportPath(**w, zip);
  ASSERT_TRUE(z.ok()) << z.error().ToString();
  EXPECT_EQ(z->records, 1);
  EXPECT_EQ(z->withdrawn, 1);
  EXPECT_EQ(z->kind, "osv");
  Result<ImportStats> t = ImportPath(**w, dir.path() + "/tree");
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  EXPECT_EQ(t->records, 2);
  ASSERT_TRUE((*w)->Commit().ok());
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(db_path);
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("PyPI", "foo", &c).ok());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].affected.versions, std::vector<std::string>{"1.10"});  // Not 1.1.
}

TEST(Importer, BadInputFailsTheImportWithAMessage) {
  testing::TempDir dir;
  struct Case {
    std::string file;
    std::string content;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"bad.json", "{\"id\": ", "not valid JSON"},
      {"types.json", R"({"id": ["x"], "modified": "y"})", "'id'"},
      {"eco.json", R"({"id": "X", "modified": "y", "affected": [{"package":
         {"ecosystem": "Plan9", "name": "p"}}]})",
       "unknown ecosystem"},
      {"what.json", R"({"hello": "world"})", "not an OSV record"},
      {"bomb.yaml",
       "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
       "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
       "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
       "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
       "alias bomb"},
      {"invalid.yaml", "id: [unclosed\n", "invalid YAML"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.WriteFile(c.file, c.content);
    Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(dir.path() + "/db.sqlite");
    ASSERT_TRUE(w.ok());
    Result<ImportStats> s = ImportPath(**w, path);
    ASSERT_FALSE(s.ok()) << c.file;
    EXPECT_NE(s.error().message().find(c.expect), std::string::npos) << s.error().ToString();
    EXPECT_NE(s.error().message().find(c.file), std::string::npos) << s.error().ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/db.sqlite"));
}

std::string GoRecord(int i) {
  std::string r = kRecord;
  return r.replace(8, 4, "GO-" + std::to_string(i));
}

TEST(Importer, TarGzAcrossManyBatches) {
  testing::TempDir dir;
  std::vector<std::pair<std::string, std::string>> entries;
  for (int i = 0; i < 1500; ++i) {
    entries.emplace_back("advisories/GO-" + std::to_string(i) + ".json", GoRecord(i));
  }
  entries.emplace_back("advisories/README", "not a record");
  const std::string tgz = WriteArchive(dir.path() + "/all.tar.gz", entries, ArchiveKind::kTarGz);
  const std::string db_path = dir.path() + "/db.sqlite";
  Result<std::vector<ImportStats>> stats = ImportAll(db_path, {{tgz, "", ""}});
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ((*stats)[0].records, 1500);
  Result<std::unique_ptr<Database>> db = Database::OpenReadOnly(db_path);
  ASSERT_TRUE(db.ok());
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("Go", "example.com/m", &c).ok());
  EXPECT_EQ(c.size(), 1500u);
  // A truncated archive fails the import and names the file.
  const std::string whole = Slurp(tgz);
  const std::string cut = dir.WriteFile("cut.tar.gz", whole.substr(0, whole.size() / 2));
  Result<std::vector<ImportStats>> bad = ImportAll(dir.path() + "/other.sqlite", {{cut, "", ""}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("cut.tar.gz"), std::string::npos) << bad.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/other.sqlite"));
}

// Every row of both tables, in key order, without the import time.
std::string DumpTables(const std::string& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  for (const char* sql : {"SELECT vid, source, id, aliases, summary, modified, refs, severity, "
                          "severity_source FROM vulns ORDER BY vid",
                          "SELECT eco_key, package, source, entries FROM affected "
                          "ORDER BY eco_key, package, source"}) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const void* p = sqlite3_column_blob(st, c);
        out.append(p ? static_cast<const char*>(p) : "",
                   static_cast<size_t>(sqlite3_column_bytes(st, c)));
        out += '\x1f';
      }
      out += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

TEST(Importer, TheSameInputGivesTheSameDatabaseWhateverTheTiming) {
  testing::TempDir dir;
  // Enough records for many batches on several threads; entries of one package spread
  // over all of them, so its row is built from many batches.
  for (int i = 0; i < 1500; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "tree/r%04d.json", i);
    std::string record = GoRecord(i);
    if (i % 3 == 0) record.replace(record.find("example.com/m"), 13, "example.com/z");
    dir.WriteFile(name, record);
  }
  std::string first;
  for (int run = 0; run < 4; ++run) {
    const std::string db_path = dir.path() + "/db" + std::to_string(run) + ".sqlite";
    Result<std::vector<ImportStats>> s = ImportAll(db_path, {{dir.path() + "/tree", "t", "t"}});
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    const std::string dump = DumpTables(db_path);
    ASSERT_GT(dump.size(), 1500u * 20);
    if (run == 0) {
      first = dump;
    } else {
      EXPECT_EQ(dump, first) << "run " << run;
    }
  }
}

TEST(Importer, TheFirstBadRecordInInputOrderIsReported) {
  testing::TempDir dir;
  // Records are parsed on several threads; the error must not depend on which finishes
  // first. r0100 is bad early, r0900 bad in a later batch.
  for (int i = 0; i < 1200; ++i) {
    char name[32];
    std::snprintf(name, sizeof(name), "tree/r%04d.json", i);
    dir.WriteFile(name, i == 100 || i == 900 ? std::string("{\"id\": ") : GoRecord(i));
  }
  for (int run = 0; run < 5; ++run) {
    Result<std::vector<ImportStats>> s =
        ImportAll(dir.path() + "/db.sqlite", {{dir.path() + "/tree", "", ""}});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("r0100.json"), std::string::npos) << s.error().ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/db.sqlite"));
  // Reading that stops later (a record over the size limit, found while walking) does
  // not hide a bad record before it, however far the parsers had got.
  dir.WriteFile("tree/r0150.json", std::string(2 << 20, ' '));
  ImportLimits limits;
  limits.max_record_bytes = 1 << 20;
  for (int run = 0; run < 5; ++run) {
    Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(dir.path() + "/db.sqlite");
    ASSERT_TRUE(w.ok());
    Result<ImportStats> s = ImportPath(**w, dir.path() + "/tree", limits);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message().find("r0100.json"), std::string::npos) << s.error().ToString();
  }
}

// A tree is walked depth first, names sorted within each directory; symbolic links,
// FIFOs and files that are not records are passed over (a FIFO would block a read).
TEST(Importer, TreeWalkSkipsLinksAndSpecialFiles) {
  testing::TempDir dir;
  dir.WriteFile("tree/a/GO-1.json", GoRecord(1));
  dir.WriteFile("tree/a/b/GO-2.yaml", "id: GO-2\nmodified: 2024-01-01T00:00:00Z\n");
  dir.WriteFile("tree/a-b/GO-3.json", GoRecord(3));
  dir.WriteFile("tree/README.md", "not a record");
  dir.WriteFile("outside/GO-9.json", GoRecord(9));
  dir.WriteFile("outside/more/GO-10.json", GoRecord(10));
  std::filesystem::create_symlink(dir.path() + "/outside/GO-9.json",
                                  dir.path() + "/tree/GO-9.json");
  std::filesystem::create_directory_symlink(dir.path() + "/outside/more",
                                            dir.path() + "/tree/more");
  ASSERT_EQ(::mkfifo((dir.path() + "/tree/fifo.json").c_str(), 0600), 0);
  // The root itself may be a link, as a user names it.
  std::filesystem::create_directory_symlink(dir.path() + "/tree", dir.path() + "/link");
  const std::string db_path = dir.path() + "/db.sqlite";
  Result<std::vector<ImportStats>> s = ImportAll(db_path, {{dir.path() + "/link", "t", "t"}});
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ((*s)[0].records, 3);
  const std::string dump = DumpTables(db_path);
  EXPECT_EQ(dump.find("GO-9"), std::string::npos);
  EXPECT_EQ(dump.find("GO-10"), std::string::npos);
  // Input order, as vids show it: a/ (GO-1, then a/b/GO-2) before a-b/ (GO-3).
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT id FROM vulns ORDER BY vid", -1, &st, nullptr),
            SQLITE_OK);
  std::string order;
  while (sqlite3_step(st) == SQLITE_ROW) {
    order += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    order += ' ';
  }
  sqlite3_finalize(st);
  sqlite3_close(raw);
  EXPECT_EQ(order, "GO-1 GO-2 GO-3 ");
  // A tree without records is an error that says so.
  dir.WriteFile("empty/notes.txt", "x");
  Result<std::vector<ImportStats>> none =
      ImportAll(dir.path() + "/db2.sqlite", {{dir.path() + "/empty", "", ""}});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message().find("no OSV records"), std::string::npos);
}

TEST(Importer, ZipBombsStopAtTheLimits) {
  testing::TempDir dir;
  const std::string zip =
      WriteArchive(dir.path() + "/bomb.zip", {{"big.json", std::string(8 << 20, ' ')}});
  Result<std::unique_ptr<DatabaseWriter>> w = DatabaseWriter::Begin(dir.path() + "/db.sqlite");
  ImportLimits limits;
  limits.max_record_bytes = 1 << 20;
  Result<ImportStats> s = ImportPath(**w, zip, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().IsResourceExhausted()) << s.error().ToString();
  limits.max_record_bytes = 32 << 20;
  limits.max_total_bytes = 1 << 20;
  s = ImportPath(**w, zip, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().IsResourceExhausted()) << s.error().ToString();
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 20; ++i) many.emplace_back("r" + std::to_string(i) + ".json", kRecord);
  limits = {};
  limits.max_entries = 10;
  s = ImportPath(**w, WriteArchive(dir.path() + "/many.zip", many), limits);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().IsResourceExhausted());
}

}  // namespace
}  // namespace bulkhead::vulndb
