#include "bulkhead/vulndb/database.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

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

// A zip written with libarchive, as osv.dev publishes all.zip.
std::string WriteZip(const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
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
  const std::string zip = WriteZip(
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

TEST(Importer, ZipBombsStopAtTheLimits) {
  testing::TempDir dir;
  const std::string zip =
      WriteZip(dir.path() + "/bomb.zip", {{"big.json", std::string(8 << 20, ' ')}});
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
  s = ImportPath(**w, WriteZip(dir.path() + "/many.zip", many), limits);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().IsResourceExhausted());
}

}  // namespace
}  // namespace bulkhead::vulndb
