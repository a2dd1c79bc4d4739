// rpm: ReadRpmDatabase and RpmAnalyzer against real rpm databases, with Debian's rpm CLI
// as the oracle (it reads the same database through the same librpm, but through an
// independent code path: its own query formats, no bulkhead code).
#include "bulkhead/pkg/rpm_analyzer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::pkg {
namespace {

using ::bulkhead::testing::FakeImage;
using ::bulkhead::testing::HaveCommand;
using ::bulkhead::testing::OnePackage;
using ::bulkhead::testing::ReadFileOrDie;
using ::bulkhead::testing::SharedDataDir;
using ::bulkhead::testing::ShellQuote;
using ::bulkhead::testing::TempDir;

// Runs `command` through the shell; its stdout, and its exit status in `*status`.
using ::bulkhead::testing::RunCommand;

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  ForEachLine(text, [&](std::string_view line) {
    if (!line.empty()) out.emplace_back(line);
  });
  return out;
}

// "name\tepoch\tversion\trelease\tarch\tsourcerpm", epoch empty when the header has none.
std::string Row(const RpmRecord& r) {
  return r.name + "\t" + r.epoch + "\t" + r.version + "\t" + r.release + "\t" + r.arch + "\t" +
         r.source_rpm;
}

struct Oracle {
  std::vector<std::string> rows;   ///< Row() shape, sorted, without gpg-pubkey.
  std::vector<std::string> files;  ///< "name\tpath" of every non-directory, sorted.
};

// Asks Debian's rpm CLI what the database in `dbdir` holds.
Oracle QueryRpmCli(const std::string& dbdir) {
  Oracle o;
  int status = 0;
  // %{EPOCH} prints "(none)" without an epoch and %{EPOCHNUM} prints 0: the conditional
  // form prints nothing when the tag is absent, as bulkhead's RpmRecord does.
  std::string rows = RunCommand(
      "rpm --dbpath " + ShellQuote(dbdir) +
          " -qa --qf '%{NAME}\\t%|EPOCH?{%{EPOCH}}:{}|\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t"
          "%{SOURCERPM}\\n' 2>/dev/null",
      &status);
  EXPECT_EQ(status, 0) << "rpm -qa failed on " << dbdir;
  for (std::string& row : SplitLines(rows)) {
    if (row.rfind("gpg-pubkey\t", 0) != 0) o.rows.push_back(std::move(row));
  }
  std::sort(o.rows.begin(), o.rows.end());
  std::string files = RunCommand("rpm --dbpath " + ShellQuote(dbdir) +
                                     " -qa --qf '[%{=NAME}\\t%{FILEMODES}\\t%{FILENAMES}\\n]' "
                                     "2>/dev/null",
                                 &status);
  EXPECT_EQ(status, 0) << "rpm -qa (files) failed on " << dbdir;
  for (const std::string& line : SplitLines(files)) {
    size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    if (line.compare(0, a, "gpg-pubkey") == 0) continue;
    unsigned long mode = std::stoul(line.substr(a + 1, b - a - 1));
    if (S_ISDIR(mode)) continue;
    o.files.push_back(line.substr(0, a) + "\t" + line.substr(b + 1));
  }
  std::sort(o.files.begin(), o.files.end());
  return o;
}

struct Bulkhead {
  std::vector<std::string> rows;
  std::vector<std::string> files;
};

Bulkhead Flatten(const std::vector<RpmRecord>& records) {
  Bulkhead b;
  for (const RpmRecord& r : records) {
    b.rows.push_back(Row(r));
    for (const std::string& f : r.files) b.files.push_back(r.name + "\t" + f);
  }
  std::sort(b.rows.begin(), b.rows.end());
  std::sort(b.files.begin(), b.files.end());
  return b;
}

// Compares bulkhead with the rpm CLI on the database `path` (a `base` file of `format`).
// Returns the number of packages both saw.
size_t CompareWithOracle(const std::string& path, const std::string& base, RpmDbFormat format) {
  TempDir dir;
  dir.WriteFile(base, ReadFileOrDie(path));
  Oracle oracle = QueryRpmCli(dir.path());

  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(ReadFileOrDie(path), "", format, "/var/lib/rpm/" + base);
  EXPECT_TRUE(records.ok()) << path << ": " << records.status().ToString();
  if (!records.ok()) return 0;
  Bulkhead ours = Flatten(*records);
  EXPECT_EQ(ours.rows, oracle.rows) << path;
  EXPECT_EQ(ours.files, oracle.files) << path;
  EXPECT_FALSE(oracle.rows.empty()) << path << ": the oracle saw no package";
  std::printf("[ oracle   ] %s: rpm CLI %zu packages, bulkhead %zu; files %zu vs %zu\n",
              path.c_str(), oracle.rows.size(), ours.rows.size(), oracle.files.size(),
              ours.files.size());
  return ours.rows.size();
}

class RpmOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (SharedDataDir().empty()) {
      GTEST_SKIP() << "../shared/data not found: conformance data is not available here";
    }
    if (!HaveCommand("rpm")) GTEST_SKIP() << "the rpm CLI (the oracle) is not installed";
  }
};

TEST_F(RpmOracleTest, SyftBerkeleyDb) {
  EXPECT_GT(CompareWithOracle(SharedDataDir() + "/syft/syft/pkg/cataloger/redhat/testdata/Packages",
                              "Packages", RpmDbFormat::kBerkeley),
            0u);
}

TEST_F(RpmOracleTest, GrypeCentosBerkeleyDb) {
  EXPECT_GT(CompareWithOracle(SharedDataDir() +
                                  "/grype/test/integration/testdata/image-centos-match-coverage/"
                                  "var/lib/rpm/Packages",
                              "Packages", RpmDbFormat::kBerkeley),
            0u);
}

TEST_F(RpmOracleTest, GrypeSlesBerkeleyDb) {
  EXPECT_GT(CompareWithOracle(SharedDataDir() +
                                  "/grype/test/integration/testdata/image-sles-match-coverage/"
                                  "var/lib/rpm/Packages",
                              "Packages", RpmDbFormat::kBerkeley),
            0u);
}

TEST_F(RpmOracleTest, ScalibrBerkeleyDbWithEpoch) {
  const std::string path =
      SharedDataDir() + "/osv-scalibr/extractor/filesystem/os/rpm/testdata/Packages_epoch";
  EXPECT_GT(CompareWithOracle(path, "Packages", RpmDbFormat::kBerkeley), 0u);
  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(ReadFileOrDie(path), "", RpmDbFormat::kBerkeley, "Packages_epoch");
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  bool saw_epoch = false;
  for (const RpmRecord& r : *records) saw_epoch |= !r.epoch.empty() && r.epoch != "0";
  EXPECT_TRUE(saw_epoch) << "Packages_epoch should hold a package with a non-zero epoch";
}

// A fresh sqlite rpmdb (rpm >= 4.16's default backend), built with rpmbuild and
// `rpm -i --justdb`, read by bulkhead and by the CLI.
class RpmSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveCommand("rpm") || !HaveCommand("rpmbuild")) {
      GTEST_SKIP() << "rpm and rpmbuild are needed to build a sqlite rpmdb";
    }
  }

  // Builds a noarch package; returns the path of the .rpm, or "" on failure.
  std::string BuildRpm(const std::string& name, const std::string& epoch,
                       const std::string& version, const std::string& release) {
    std::string spec = "Name: " + name + "\n" + (epoch.empty() ? "" : "Epoch: " + epoch + "\n") +
                       "Version: " + version + "\nRelease: " + release +
                       "\nSummary: bulkhead test package\nLicense: MIT\nBuildArch: noarch\n"
                       "%description\nA package for bulkhead's tests.\n"
                       "%install\n"
                       "mkdir -p %{buildroot}/usr/share/" +
                       name + "/doc\n" + "echo hello > %{buildroot}/usr/share/" + name +
                       "/hello.txt\n" + "echo doc > %{buildroot}/usr/share/" + name +
                       "/doc/README\n" + "ln -s hello.txt %{buildroot}/usr/share/" + name +
                       "/link.txt\n" + "%files\n%dir /usr/share/" + name + "\n/usr/share/" + name +
                       "/hello.txt\n/usr/share/" + name + "/link.txt\n/usr/share/" + name +
                       "/doc\n";
    std::string spec_path = work_.WriteFile(name + ".spec", spec);
    int status = 0;
    std::string log =
        RunCommand("rpmbuild --define " + ShellQuote("_topdir " + work_.path()) +
                       " --define '_build_id_links none' -bb " + ShellQuote(spec_path) + " 2>&1",
                   &status);
    EXPECT_EQ(status, 0) << log;
    std::string rpm =
        work_.path() + "/RPMS/noarch/" + name + "-" + version + "-" + release + ".noarch.rpm";
    EXPECT_TRUE(std::filesystem::exists(rpm)) << log;
    return status == 0 ? rpm : "";
  }

  // A fresh rpmdb in `dir` (sqlite, rpm's default) holding the packages `rpms`.
  void InstallDb(const std::string& dir, const std::vector<std::string>& rpms) {
    int status = 0;
    std::string log = RunCommand("rpm --initdb --dbpath " + ShellQuote(dir) + " 2>&1", &status);
    ASSERT_EQ(status, 0) << log;
    std::string cmd = "rpm -i --justdb --nodeps --noscripts --dbpath " + ShellQuote(dir);
    for (const std::string& r : rpms) cmd += " " + ShellQuote(r);
    log = RunCommand(cmd + " 2>&1", &status);
    ASSERT_EQ(status, 0) << log;
    ASSERT_TRUE(std::filesystem::exists(dir + "/rpmdb.sqlite"))
        << "rpm did not write an sqlite database";
  }

  TempDir work_;
};

TEST_F(RpmSqliteTest, FreshSqliteDbMatchesTheCli) {
  std::string a = BuildRpm("bulkhead-alpha", "3", "1.2.3", "4.el9");
  std::string b = BuildRpm("bulkhead-beta", "", "0.9", "1");
  std::string c = BuildRpm("bulkhead-gamma", "0", "2024.1", "7.fc40");
  ASSERT_FALSE(a.empty() || b.empty() || c.empty());
  TempDir db;
  ASSERT_NO_FATAL_FAILURE(InstallDb(db.path(), {a, b, c}));
  const std::string sqlite = db.path() + "/rpmdb.sqlite";

  Oracle oracle = QueryRpmCli(db.path());
  ASSERT_EQ(oracle.rows.size(), 3u);
  std::string wal;
  if (std::filesystem::exists(sqlite + "-wal")) wal = ReadFileOrDie(sqlite + "-wal");
  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(ReadFileOrDie(sqlite), wal, RpmDbFormat::kSqlite, "rpmdb.sqlite");
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  Bulkhead ours = Flatten(*records);
  EXPECT_EQ(ours.rows, oracle.rows);
  EXPECT_EQ(ours.files, oracle.files);
  std::printf("[ oracle   ] fresh rpmdb.sqlite: rpm CLI %zu packages, bulkhead %zu\n",
              oracle.rows.size(), ours.rows.size());

  // What the rows mean, spelled out.
  std::vector<std::string> expected = {
      "bulkhead-alpha\t3\t1.2.3\t4.el9\tnoarch\tbulkhead-alpha-1.2.3-4.el9.src.rpm",
      "bulkhead-beta\t\t0.9\t1\tnoarch\tbulkhead-beta-0.9-1.src.rpm",
      "bulkhead-gamma\t0\t2024.1\t7.fc40\tnoarch\tbulkhead-gamma-2024.1-7.fc40.src.rpm",
  };
  EXPECT_EQ(ours.rows, expected);
  for (const RpmRecord& r : *records) {
    if (r.name != "bulkhead-alpha") continue;
    // Directories are left out; regular files and symlinks are kept, sorted.
    EXPECT_EQ(r.files, (std::vector<std::string>{"/usr/share/bulkhead-alpha/doc/README",
                                                 "/usr/share/bulkhead-alpha/hello.txt",
                                                 "/usr/share/bulkhead-alpha/link.txt"}));
  }

  // The same database through the analyzer, in an image.
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n")
      .File("/var/lib/rpm/rpmdb.sqlite", ReadFileOrDie(sqlite));
  FakeImage::Output out = img.Run(RpmAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.packages.size(), 3u);
  Package alpha = OnePackage(out.packages, "bulkhead-alpha");
  EXPECT_EQ(alpha.version, "3:1.2.3-4.el9");
  EXPECT_EQ(alpha.epoch, "3");
  EXPECT_EQ(alpha.source_name, "bulkhead-alpha");
  EXPECT_EQ(alpha.source_version, "1.2.3-4.el9");
  EXPECT_EQ(alpha.purl,
            "pkg:rpm/rocky/bulkhead-alpha@1.2.3-4.el9?arch=noarch&distro=rocky-9.3&epoch=3");
  EXPECT_EQ(alpha.db_path, "/var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(alpha.layer, FakeImage::LayerDigest(0));
  Package beta = OnePackage(out.packages, "bulkhead-beta");
  EXPECT_EQ(beta.version, "0.9-1");
  EXPECT_EQ(beta.epoch, "");
  EXPECT_EQ(beta.purl, "pkg:rpm/rocky/bulkhead-beta@0.9-1?arch=noarch&distro=rocky-9.3");
  Package gamma = OnePackage(out.packages, "bulkhead-gamma");
  EXPECT_EQ(gamma.version, "2024.1-7.fc40");  // epoch 0 is not written into the version
}

// Packages that so far live only in the write-ahead log (a database copied while rpm
// had it open) are read too: the analyzer captures rpmdb.sqlite-wal for that.
TEST_F(RpmSqliteTest, PackagesInTheWriteAheadLogAreRead) {
  if (!HaveCommand("python3")) GTEST_SKIP() << "python3 is needed to write a WAL";
  std::string a = BuildRpm("bulkhead-base", "", "1.0", "1");
  std::string b = BuildRpm("bulkhead-late", "2", "3.0", "5");
  ASSERT_FALSE(a.empty() || b.empty());
  TempDir base, other, snapshot;
  ASSERT_NO_FATAL_FAILURE(InstallDb(base.path(), {a}));
  ASSERT_NO_FATAL_FAILURE(InstallDb(other.path(), {b}));
  // Adds `other`'s header to `base` in a transaction that stays in the WAL, copies the
  // files, and exits without closing (closing would checkpoint the WAL away).
  std::string script = work_.WriteFile("wal.py", R"(
import os, shutil, sqlite3, sys
base, other, out = sys.argv[1:4]
c = sqlite3.connect(base + "/rpmdb.sqlite", isolation_level=None)
assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
c.execute("PRAGMA wal_autocheckpoint = 0")
c.execute("ATTACH DATABASE ? AS o", (other + "/rpmdb.sqlite",))
c.execute("INSERT INTO main.Packages (blob) SELECT blob FROM o.Packages")
shutil.copyfile(base + "/rpmdb.sqlite", out + "/rpmdb.sqlite")
shutil.copyfile(base + "/rpmdb.sqlite-wal", out + "/rpmdb.sqlite-wal")
sys.stdout.flush()
os._exit(0)
)");
  int status = 0;
  std::string log =
      RunCommand("python3 " + ShellQuote(script) + " " + ShellQuote(base.path()) + " " +
                     ShellQuote(other.path()) + " " + ShellQuote(snapshot.path()) + " 2>&1",
                 &status);
  ASSERT_EQ(status, 0) << log;
  const std::string db = ReadFileOrDie(snapshot.path() + "/rpmdb.sqlite");
  const std::string wal = ReadFileOrDie(snapshot.path() + "/rpmdb.sqlite-wal");
  ASSERT_FALSE(wal.empty());

  TempDir oracle_dir;  // the CLI may write -shm next to the copy
  oracle_dir.WriteFile("rpmdb.sqlite", db);
  oracle_dir.WriteFile("rpmdb.sqlite-wal", wal);
  Oracle oracle = QueryRpmCli(oracle_dir.path());
  ASSERT_EQ(oracle.rows.size(), 2u);

  Result<std::vector<RpmRecord>> with_wal =
      ReadRpmDatabase(db, wal, RpmDbFormat::kSqlite, "rpmdb.sqlite");
  ASSERT_TRUE(with_wal.ok()) << with_wal.status().ToString();
  EXPECT_EQ(Flatten(*with_wal).rows, oracle.rows);
  Result<std::vector<RpmRecord>> without_wal =
      ReadRpmDatabase(db, "", RpmDbFormat::kSqlite, "rpmdb.sqlite");
  ASSERT_TRUE(without_wal.ok()) << without_wal.status().ToString();
  EXPECT_EQ(without_wal->size(), 1u);

  FakeImage img;
  img.AddLayer()
      .File("/usr/lib/sysimage/rpm/rpmdb.sqlite", db)
      .File("/usr/lib/sysimage/rpm/rpmdb.sqlite-wal", wal);
  FakeImage::Output out = img.Run(RpmAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(OnePackage(out.packages, "bulkhead-late").version, "2:3.0-5");
  EXPECT_EQ(OnePackage(out.packages, "bulkhead-base").db_path,
            "/usr/lib/sysimage/rpm/rpmdb.sqlite");
}

// A well-formed sqlite header over corrupt pages gets past bulkhead's header check and
// is rejected by sqlite inside librpm. librpm 4.18 then leaks its sqlite connection
// (about 100 KiB, in librpm's failed-open path, out of bulkhead's reach), so leak
// checking is paused around the call; the result must still be an error.
TEST_F(RpmSqliteTest, CorruptPagesBehindAGoodHeaderAreCorruption) {
  std::string a = BuildRpm("bulkhead-delta", "", "1", "1");
  ASSERT_FALSE(a.empty());
  TempDir db;
  ASSERT_NO_FATAL_FAILURE(InstallDb(db.path(), {a}));
  std::string bytes = ReadFileOrDie(db.path() + "/rpmdb.sqlite");
  for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131) % 253);
#if defined(__SANITIZE_ADDRESS__)
  __lsan_disable();
#endif
  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(bytes, "", RpmDbFormat::kSqlite, "rpmdb.sqlite");
#if defined(__SANITIZE_ADDRESS__)
  __lsan_enable();
#endif
  if (records.ok()) {
    EXPECT_TRUE(records->empty());
  } else {
    EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
  }
}

// --- Bad input: errors, never crashes -------------------------------------------------

TEST(RpmDatabaseTest, GarbageBerkeleyDbIsCorruption) {
  std::string garbage(16384, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>(i * 7919 % 251);
  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(garbage, "", RpmDbFormat::kBerkeley, "/var/lib/rpm/Packages");
  ASSERT_FALSE(records.ok()) << "garbage read as " << records->size() << " packages";
  EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
  EXPECT_NE(records.error().message().find("/var/lib/rpm/Packages"), std::string_view::npos);
}

TEST(RpmDatabaseTest, GarbageInEveryFormatIsAnErrorNotACrash) {
  for (RpmDbFormat format : {RpmDbFormat::kBerkeley, RpmDbFormat::kNdb, RpmDbFormat::kSqlite}) {
    for (std::string data :
         {std::string("bogus"), std::string(), std::string(4096, '\xff'),
          std::string("SQLite format 3") + std::string(1, '\0') + std::string(200, 'x')}) {
      Result<std::vector<RpmRecord>> records = ReadRpmDatabase(data, "", format, "db");
      if (records.ok()) {
        EXPECT_TRUE(records->empty()) << "format " << static_cast<int>(format);
      } else {
        EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
      }
    }
  }
}

// Garbage named like a database must never read as "no packages, all fine".
TEST(RpmDatabaseTest, SqliteAndNdbHeadersAreChecked) {
  std::string sqlite_magic("SQLite format 3\0", 16);
  struct Case {
    std::string data;
    RpmDbFormat format;
  };
  for (const Case& c : {Case{"", RpmDbFormat::kSqlite}, Case{"bogus", RpmDbFormat::kSqlite},
                        Case{sqlite_magic, RpmDbFormat::kSqlite},
                        Case{sqlite_magic + std::string(200, 'x'), RpmDbFormat::kSqlite},
                        Case{"", RpmDbFormat::kNdb}, Case{"bogus", RpmDbFormat::kNdb},
                        Case{std::string(4096, '\0'), RpmDbFormat::kNdb}}) {
    Result<std::vector<RpmRecord>> records = ReadRpmDatabase(c.data, "", c.format, "the-db");
    ASSERT_FALSE(records.ok()) << "garbage of " << c.data.size() << " bytes read as "
                               << records->size() << " packages";
    EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
    EXPECT_NE(records.error().message().find("the-db"), std::string_view::npos);
  }
}

// A well-formed NDB header: either this librpm reads it (an empty database) or it says
// plainly that it cannot. Debian's librpm has no NDB backend and used to fall back to a
// "dummy" database that lists nothing, which read as zero packages.
TEST(RpmDatabaseTest, NdbIsReadOrUnsupportedNeverSilentlyEmpty) {
  std::string ndb = "RpmP" + std::string(4092, '\0');
  Result<std::vector<RpmRecord>> records =
      ReadRpmDatabase(ndb, "", RpmDbFormat::kNdb, "Packages.db");
  if (records.ok()) {
    EXPECT_TRUE(records->empty());
  } else {
    EXPECT_TRUE(records.error().code() == StatusCode::kUnsupported ||
                records.error().code() == StatusCode::kCorruption)
        << records.error().ToString();
  }
  std::printf("[ info     ] NDB Packages.db -> %s\n",
              records.ok() ? "read" : records.error().ToString().c_str());
}

TEST(RpmDatabaseTest, ScalibrEmptyAndInvalidSqlite) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir = SharedDataDir() + "/osv-scalibr/extractor/filesystem/os/rpm/testdata/";
  for (const char* name : {"empty.sqlite", "invalid"}) {
    Result<std::vector<RpmRecord>> records =
        ReadRpmDatabase(ReadFileOrDie(dir + name), "", RpmDbFormat::kSqlite, name);
    if (records.ok()) {
      EXPECT_TRUE(records->empty()) << name;
    } else {
      EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
      EXPECT_NE(records.error().message().find(name), std::string_view::npos);
    }
    std::printf("[ info     ] %s -> %s\n", name,
                records.ok() ? (std::to_string(records->size()) + " packages").c_str()
                             : records.error().ToString().c_str());
  }
}

TEST(RpmDatabaseTest, SyftBogusDatabasesInEveryFormat) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir =
      SharedDataDir() + "/syft/syft/pkg/cataloger/redhat/testdata/glob-paths/var/lib/rpm/";
  struct Case {
    const char* base;
    RpmDbFormat format;
  };
  for (Case c : {Case{"Packages", RpmDbFormat::kBerkeley}, Case{"Packages.db", RpmDbFormat::kNdb},
                 Case{"rpmdb.sqlite", RpmDbFormat::kSqlite}}) {
    Result<std::vector<RpmRecord>> records =
        ReadRpmDatabase(ReadFileOrDie(dir + c.base), "", c.format, c.base);
    if (records.ok()) {
      EXPECT_TRUE(records->empty()) << c.base;
    } else {
      EXPECT_EQ(records.error().code(), StatusCode::kCorruption) << records.error().ToString();
    }
  }
}

// --- The analyzer -----------------------------------------------------------------------

TEST(RpmAnalyzerTest, RequiredPaths) {
  RpmAnalyzer a;
  image::FileMeta file;
  file.type = image::EntryType::kFile;
  image::FileMeta dir;
  dir.type = image::EntryType::kDirectory;
  for (const char* p : {"/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db",
                        "/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite-wal",
                        "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/share/rpm/Packages"}) {
    EXPECT_TRUE(a.Required(p, file)) << p;
  }
  for (const char* p :
       {"/var/lib/rpm/Name", "/var/lib/rpm/rpmdb.sqlite-shm", "/var/lib/rpm",
        "/var/lib/rpm/sub/Packages", "/root/var/lib/rpm/Packages", "/var/lib/rpm/Packages.bak"}) {
    EXPECT_FALSE(a.Required(p, file)) << p;
  }
  EXPECT_FALSE(a.Required("/var/lib/rpm/Packages", dir));
}

TEST(RpmAnalyzerTest, NoDatabaseNoPackages) {
  FakeImage img;
  img.AddLayer().File("/etc/os-release", "ID=rocky\n");
  FakeImage::Output out = img.Run(RpmAnalyzer());
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.packages.empty());
}

TEST(RpmAnalyzerTest, GarbageDatabaseIsReportedNotFatal) {
  FakeImage img;
  img.AddLayer().File("/var/lib/rpm/Packages", std::string(8192, 'Z'));
  FakeImage::Output out = img.Run(RpmAnalyzer());
  EXPECT_TRUE(out.packages.empty());
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), StatusCode::kCorruption);
  EXPECT_NE(out.status.message().find("/var/lib/rpm/Packages"), std::string_view::npos);
}

TEST(RpmAnalyzerTest, RealBerkeleyDbInAnImage) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string db = ReadFileOrDie(
      SharedDataDir() + "/osv-scalibr/extractor/filesystem/os/rpm/testdata/Packages_epoch");
  FakeImage img;
  img.AddLayer().File("/etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n");
  img.AddLayer().File("/var/lib/rpm/Packages", db);
  FakeImage::Output out = img.Run(RpmAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.packages.size(), 1u);
  const Package& p = out.packages[0];
  EXPECT_EQ(p.type, "rpm");
  EXPECT_EQ(p.name, "hello");
  EXPECT_EQ(p.epoch, "1");
  EXPECT_EQ(p.version, "1:0.0.1-rls");
  EXPECT_EQ(p.arch, "x86_64");
  EXPECT_EQ(p.purl, "pkg:rpm/centos/hello@0.0.1-rls?arch=x86_64&distro=centos-7.9.2009&epoch=1");
  EXPECT_EQ(p.layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(p.db_path, "/var/lib/rpm/Packages");
}

TEST(RpmAnalyzerTest, LayerAttributionFollowsEachLayersDatabase) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dive =
      ReadFileOrDie(SharedDataDir() + "/syft/syft/pkg/cataloger/redhat/testdata/Packages");
  FakeImage img;
  img.AddLayer().File("/etc/os-release", "ID=centos\nVERSION_ID=7\n");
  img.AddLayer().File("/var/lib/rpm/Packages", dive);  // dive arrives in layer 1
  img.AddLayer().File("/etc/motd", "hello\n");         // no database change
  img.AddLayer().File("/var/lib/rpm/Packages", dive);  // rewritten, dive unchanged
  FakeImage::Output out = img.Run(RpmAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].name, "dive");
  EXPECT_EQ(out.packages[0].layer, FakeImage::LayerDigest(1));
}

}  // namespace
}  // namespace bulkhead::pkg
