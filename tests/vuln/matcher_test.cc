#include "bulkhead/vuln/matcher.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/testing/test_util.h"

namespace bulkhead::vuln {
namespace {

using version::Scheme;
using vulndb::Affected;
using vulndb::Event;
using vulndb::Range;
using vulndb::Vulnerability;
using vulndb::VulnStatus;

Range R(std::vector<std::pair<Event::Kind, std::string>> events,
        Range::Type type = Range::Type::kEcosystem) {
  Range r;
  r.type = type;
  for (auto& [k, v] : events) r.events.push_back({k, v});
  return r;
}

constexpr auto kI = Event::Kind::kIntroduced;
constexpr auto kF = Event::Kind::kFixed;
constexpr auto kL = Event::Kind::kLastAffected;
constexpr auto kM = Event::Kind::kLimit;

Affected With(std::vector<Range> ranges, std::vector<std::string> versions = {}) {
  Affected a;
  a.ranges = std::move(ranges);
  a.versions = std::move(versions);
  return a;
}

TEST(Evaluate, OsvRangeSemantics) {
  Affected a = With({R({{kI, "0"}, {kF, "1.5"}})});
  EXPECT_TRUE(Evaluate(a, Scheme::kSemver, "1.0.0").affected);
  EXPECT_EQ(Evaluate(a, Scheme::kSemver, "1.0.0").fixed, "1.5");
  EXPECT_FALSE(Evaluate(a, Scheme::kDpkg, "1.5").affected);
  EXPECT_FALSE(Evaluate(a, Scheme::kDpkg, "1.6").affected);

  // Two intervals, listed out of order, as PYSEC records do.
  Affected two = With({R({{kI, "2.0"}, {kF, "2.3"}, {kI, "1.0"}, {kF, "1.4"}})});
  EXPECT_FALSE(Evaluate(two, Scheme::kPep440, "0.9").affected);
  EXPECT_TRUE(Evaluate(two, Scheme::kPep440, "1.0").affected);
  EXPECT_EQ(Evaluate(two, Scheme::kPep440, "1.2").fixed, "1.4");
  EXPECT_FALSE(Evaluate(two, Scheme::kPep440, "1.4").affected);
  EXPECT_FALSE(Evaluate(two, Scheme::kPep440, "1.9").affected);
  EXPECT_EQ(Evaluate(two, Scheme::kPep440, "2.1").fixed, "2.3");
  EXPECT_FALSE(Evaluate(two, Scheme::kPep440, "2.3").affected);

  // Overlapping intervals count as their union (PYSEC-2021-114, as osv.dev lists it).
  Affected overlap = With({R({{kI, "2.11"}, {kF, "2.11.7"}, {kI, "0"}, {kF, "2.11.6"}})});
  EXPECT_TRUE(Evaluate(overlap, Scheme::kPep440, "2.11.6").affected);
  EXPECT_EQ(Evaluate(overlap, Scheme::kPep440, "2.11.6").fixed, "2.11.7");
  EXPECT_TRUE(Evaluate(overlap, Scheme::kPep440, "1.0").affected);
  EXPECT_FALSE(Evaluate(overlap, Scheme::kPep440, "2.11.7").affected);
  // Events listed out of order still follow the sorted walk.
  Affected backwards = With({R({{kF, "1.5"}, {kI, "0"}})});
  EXPECT_TRUE(Evaluate(backwards, Scheme::kPep440, "1.4").affected);
  EXPECT_FALSE(Evaluate(backwards, Scheme::kPep440, "1.5").affected);

  Affected last = With({R({{kI, "1.0"}, {kL, "1.2"}})});
  EXPECT_TRUE(Evaluate(last, Scheme::kSemver, "1.2.0").affected);
  EXPECT_TRUE(Evaluate(last, Scheme::kSemver, "1.2.0").fixed.empty());
  EXPECT_FALSE(Evaluate(last, Scheme::kSemver, "1.2.1").affected);

  Affected limited = With({R({{kI, "0"}, {kM, "2.0"}})});
  EXPECT_TRUE(Evaluate(limited, Scheme::kSemver, "1.9.0").affected);
  EXPECT_FALSE(Evaluate(limited, Scheme::kSemver, "2.0.0").affected);

  EXPECT_TRUE(Evaluate(With({}, {"1.2.3"}), Scheme::kSemver, "v1.2.3").affected);  // Go
  EXPECT_TRUE(Evaluate(With({}, {"1.0"}), Scheme::kPep440, "1.0.0").affected);
  Affected listed = With({}, {"1.0.0", "1.0.2"});
  EXPECT_TRUE(Evaluate(listed, Scheme::kSemver, "1.0.2").affected);
  EXPECT_FALSE(Evaluate(listed, Scheme::kSemver, "1.0.1").affected);
  // Without a scheme only the explicit list can match.
  EXPECT_TRUE(Evaluate(With({R({{kI, "0"}})}, {"x"}), std::nullopt, "x").affected);
  EXPECT_FALSE(Evaluate(With({R({{kI, "0"}})}), std::nullopt, "x").affected);
  // SEMVER ranges order by SemVer whatever the ecosystem says.
  Affected semver = With({R({{kI, "0"}, {kF, "1.10.0"}}, Range::Type::kSemver)});
  EXPECT_TRUE(Evaluate(semver, Scheme::kDpkg, "1.9.0").affected);
}

TEST(Evaluate, DebianVersionsWithEpochsAndTildes) {
  Affected a = With({R({{kI, "0"}, {kF, "1:2.0-1~deb12u1"}})});
  EXPECT_TRUE(Evaluate(a, Scheme::kDpkg, "1:2.0-1~deb11u1").affected);
  EXPECT_FALSE(Evaluate(a, Scheme::kDpkg, "1:2.0-1").affected);
  EXPECT_TRUE(Evaluate(a, Scheme::kDpkg, "3.0-1").affected);  // Epoch 0 < 1.
}

// A database in a temporary directory, written through the real writer.
class MatchTest : public ::testing::Test {
 protected:
  void Add(Vulnerability v) { records_.push_back(std::move(v)); }
  std::unique_ptr<vulndb::Database> Open() {
    auto w = vulndb::DatabaseWriter::Begin(dir_.path() + "/db.sqlite");
    EXPECT_TRUE(w.ok());
    EXPECT_TRUE((*w)->BeginSource("test", "osv", "/t").ok());
    for (const Vulnerability& v : records_) EXPECT_TRUE((*w)->Add(v).ok()) << v.id;
    EXPECT_TRUE((*w)->EndSource().ok());
    EXPECT_TRUE((*w)->Commit().ok());
    auto db = vulndb::Database::OpenReadOnly(dir_.path() + "/db.sqlite");
    EXPECT_TRUE(db.ok());
    return std::move(db).value();
  }
  std::vector<Finding> Match(Report& report, MatchOptions options = {}) {
    std::unique_ptr<vulndb::Database> db = Open();
    EXPECT_TRUE(MatchReport(*db, options, &report).ok());
    report.Sort();
    return report.findings;
  }

  testing::TempDir dir_;
  std::vector<Vulnerability> records_;
};

Vulnerability Record(std::string id, std::string ecosystem, std::string package,
                     std::vector<Range> ranges, std::vector<std::string> aliases = {}) {
  Vulnerability v;
  v.id = std::move(id);
  v.aliases = std::move(aliases);
  v.modified = "2024-01-01T00:00:00Z";
  v.summary = "summary of " + v.id;
  Affected a;
  a.ecosystem = std::move(ecosystem);
  a.package = std::move(package);
  a.ranges = std::move(ranges);
  bool fixed = false;
  for (const Range& r : a.ranges) {
    for (const Event& e : r.events) fixed |= e.kind == kF;
  }
  a.status = fixed ? VulnStatus::kFixed : VulnStatus::kAffected;
  v.affected.push_back(std::move(a));
  return v;
}

Package Deb(std::string name, std::string version, std::string source, std::string src_version) {
  Package p;
  p.type = "deb";
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = std::move(source);
  p.source_version = std::move(src_version);
  p.purl = "pkg:deb/debian/" + p.name + "@" + p.version;
  p.layer = "sha256:l1";
  return p;
}

Report DebianReport(std::vector<Package> packages) {
  Report r;
  r.target.os = {"debian", "12", "Debian GNU/Linux 12"};
  r.packages = std::move(packages);
  return r;
}

TEST_F(MatchTest, DebBySourceWithTheSourceVersionPerBinary) {
  Add(Record("CVE-2024-1", "Debian:12", "openssl", {R({{kI, "0"}, {kF, "3.0.13-1~deb12u1"}})}));
  Add(Record("CVE-2024-2", "Debian:11", "openssl", {R({{kI, "0"}, {kF, "9.0"}})}));
  Add(Record("CVE-2024-3", "Debian:12", "libssl3", {R({{kI, "0"}})}));  // Binary name: no.
  // binNMU: the binary is 3.0.11-1~deb12u2+b1, its source 3.0.11-1~deb12u2.
  Report r = DebianReport({Deb("libssl3", "3.0.11-1~deb12u2+b1", "openssl", "3.0.11-1~deb12u2"),
                           Deb("openssl", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2")});
  std::vector<Finding> f = Match(r);
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    EXPECT_EQ(x.id, "CVE-2024-1");
    EXPECT_EQ(x.kind, FindingKind::kVulnerability);
    EXPECT_EQ(x.fixed_version, "3.0.13-1~deb12u1");
    EXPECT_EQ(x.status, "fixed");
    EXPECT_EQ(x.controls, std::vector<std::string>{"4.1.1"});
    EXPECT_EQ(x.layer, "sha256:l1");
    ASSERT_TRUE(x.package.has_value());
    EXPECT_EQ(x.package->source_name, "openssl");
    EXPECT_EQ(x.package->source_version, "3.0.11-1~deb12u2");
  }
  EXPECT_EQ(f[0].package->name, "libssl3");
  EXPECT_EQ(f[0].installed_version, "3.0.11-1~deb12u2+b1");
  EXPECT_EQ(f[1].package->name, "openssl");
}

TEST_F(MatchTest, AliasesMergeIntoOneFindingAndTheCveIsTheId) {
  Add(Record("DSA-5000-1", "Debian:12", "curl", {R({{kI, "0"}, {kF, "7.88.1-10+deb12u5"}})},
             {"CVE-2024-9"}));
  Add(Record("CVE-2024-9", "Debian:12", "curl", {R({{kI, "0"}, {kF, "7.88.1-10+deb12u6"}})}));
  Add(Record("GHSA-x", "Debian:12", "curl", {R({{kI, "0"}})}, {"CVE-2024-9"}));
  Report r = DebianReport({Deb("curl", "7.88.1-10+deb12u4", "curl", "7.88.1-10+deb12u4")});
  std::vector<Finding> f = Match(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "CVE-2024-9");
  EXPECT_EQ(f[0].aliases, (std::vector<std::string>{"DSA-5000-1", "GHSA-x"}));
  EXPECT_EQ(f[0].fixed_version, "7.88.1-10+deb12u6");  // The fix that clears every feed.
}

TEST_F(MatchTest, TheDistrosNotAffectedVerdictWins) {
  Vulnerability na = Record("CVE-2024-5", "Debian:12", "zlib", {});
  na.affected[0].status = VulnStatus::kNotAffected;
  Add(na);
  Add(Record("OSV-1", "Debian:12", "zlib", {R({{kI, "0"}})}, {"CVE-2024-5"}));
  Report r = DebianReport({Deb("zlib1g", "1:1.2.13.dfsg-1", "zlib", "1:1.2.13.dfsg-1")});
  EXPECT_TRUE(Match(r).empty());
}

TEST_F(MatchTest, StatusesAndTheFlagsThatDropThem) {
  Vulnerability wnf = Record("CVE-1", "Debian:12", "bash", {R({{kI, "0"}})});
  wnf.affected[0].status = VulnStatus::kWillNotFix;
  wnf.affected[0].status_note = "ignored";
  Add(wnf);
  Vulnerability eol = Record("CVE-2", "Debian:12", "bash", {R({{kI, "0"}})});
  eol.affected[0].status = VulnStatus::kEndOfLife;
  Add(eol);
  Add(Record("CVE-3", "Debian:12", "bash", {R({{kI, "0"}, {kF, "9"}})}));
  Report base = DebianReport({Deb("bash", "5.2.15-2+b2", "bash", "5.2.15-2")});
  Report r = base;
  std::vector<Finding> f = Match(r);
  ASSERT_EQ(f.size(), 3u);
  std::map<std::string, std::string> status;
  for (const Finding& x : f) status[x.id] = x.status + "/" + x.status_note;
  EXPECT_EQ(status["CVE-1"], "will-not-fix/ignored");
  EXPECT_EQ(status["CVE-2"], "end-of-life/");
  EXPECT_EQ(status["CVE-3"], "fixed/");
  r = base;
  MatchOptions unfixed;
  unfixed.ignore_unfixed = true;
  f = Match(r, unfixed);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "CVE-3");
  r = base;
  MatchOptions by_status;
  by_status.ignore_status = {"will-not-fix"};
  EXPECT_EQ(Match(r, by_status).size(), 2u);
  EXPECT_TRUE(ValidateStatuses({"end-of-life", "fix-deferred"}).ok());
  EXPECT_FALSE(ValidateStatuses({"bogus"}).ok());
  EXPECT_FALSE(ValidateStatuses({"not-affected"}).ok());
}

TEST_F(MatchTest, ApkByOriginAndRpmEpochs) {
  Add(Record("CVE-10", "Alpine:v3.19", "openssl", {R({{kI, "0"}, {kF, "3.1.4-r1"}})}));
  Add(Record("ALSA-1", "AlmaLinux:9", "bind-libs", {R({{kI, "0"}, {kF, "9.16.23-15.el9"}})}));
  Add(Record("ALSA-2", "AlmaLinux:9", "bind-libs", {R({{kI, "0"}, {kF, "32:9.16.23-14.el9"}})}));
  Report alpine;
  alpine.target.os = {"alpine", "3.19.0", ""};
  Package libssl;
  libssl.type = "apk";
  libssl.name = "libssl3";
  libssl.version = "3.1.4-r0";
  libssl.source_name = "openssl";
  alpine.packages = {libssl};
  std::vector<Finding> f = Match(alpine);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].package->name, "libssl3");
  EXPECT_EQ(f[0].package->source_name, "openssl");

  Report alma;
  alma.target.os = {"almalinux", "9.3", ""};
  Package bind;
  bind.type = "rpm";
  bind.name = "bind-libs";
  bind.epoch = "32";
  bind.version = "32:9.16.23-14.el9";
  alma.packages = {bind};
  f = Match(alma);
  // ALSA-1 names no epoch: version-release 9.16.23-14.el9 < 9.16.23-15.el9, so affected
  // (and said so); ALSA-2 names the epoch: installed == fixed, so not affected.
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].id, "ALSA-1");
  EXPECT_NE(f[0].status_note.find("no epoch"), std::string::npos);
}

TEST_F(MatchTest, LanguagePackagesOwnedByTheDistroAreTheDistros) {
  Add(Record("PYSEC-1", "PyPI", "requests", {R({{kI, "0"}, {kF, "2.31.0"}})}));
  Report r = DebianReport({});
  Package deb = Deb("python3-requests", "2.28.1+dfsg-1", "requests", "2.28.1+dfsg-1");
  deb.files = {"/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA"};
  Package owned;
  owned.type = "pypi";
  owned.name = "Requests";
  owned.version = "2.28.1";
  owned.db_path = "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA";
  Package vendored = owned;
  vendored.db_path = "opt/app/venv/lib/python3.11/site-packages/requests-2.28.1.dist-info/METADATA";
  r.packages = {deb, owned, vendored};
  std::vector<Finding> f = Match(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, vendored.db_path);
  EXPECT_EQ(f[0].fixed_version, "2.31.0");
}

TEST_F(MatchTest, MaliciousPackageRecordsAreMalware) {
  Add(Record("MAL-2025-1", "npm", "evil-pkg", {R({{kI, "0"}})}));
  Report r = DebianReport({});
  Package p;
  p.type = "npm";
  p.name = "evil-pkg";
  p.version = "1.0.0";
  p.db_path = "/app/node_modules/evil-pkg/package.json";
  r.packages = {p};
  std::vector<Finding> f = Match(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FindingKind::kMalware);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_EQ(f[0].controls, std::vector<std::string>{"4.1.3"});
}

TEST_F(MatchTest, UnknownOsMatchesNothing) {
  Add(Record("CVE-1", "Debian:12", "bash", {R({{kI, "0"}})}));
  Report r = DebianReport({Deb("bash", "5.2.15-2", "bash", "5.2.15-2")});
  r.target.os = {"plan9", "4", ""};
  MatchStats stats;
  std::unique_ptr<vulndb::Database> db = Open();
  ASSERT_TRUE(MatchReport(*db, {}, &r, &stats).ok());
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(stats.unmatched, 1u);
}

}  // namespace
}  // namespace bulkhead::vuln
