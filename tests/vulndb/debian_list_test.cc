#include "bulkhead/vulndb/debian_list.h"

#include <gtest/gtest.h>

#include <map>

#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/importer.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vulndb {
namespace {

constexpr const char* kList =
    "CVE-2023-XXXX [code execution via malformed XTGETTCAP]\n"
    "\t- foot 1.15.3-2 (bug #1053115)\n"
    "CVE-2021-36383 (Xen Orchestra ...)\n"
    "        NOT-FOR-US: Xen Orchestra\n"
    "CVE-2021-36373 (When reading a specially crafted TAR archive ...)\n"
    "        - ant <unfixed> (unimportant)\n"
    "        NOTE: https://www.openwall.com/lists/oss-security/2021/07/13/5\n"
    "\n"
    "CVE-2021-36367 (PuTTY through 0.75 ...)\n"
    "        {DLA-2691-1 DSA-4999-1}\n"
    "        - putty 0.75-3 (low; bug #990901)\n"
    "        [bullseye] - putty <no-dsa> (Minor issue)\n"
    "        [buster] - putty <ignored> (Minor issue)\n"
    "        [stretch] - putty 0.67-3+deb9u2\n"
    "        [jessie] - putty <postponed> (later)\n"
    "CVE-2021-1111 (x)\n"
    "        - zlib <not-affected> (vulnerable code not present)\n"
    "        - bash <removed>\n";

std::map<std::string, Affected> Emit(const std::vector<DebianIssue>& issues,
                                     const CarriedVersion& carried,
                                     std::map<std::string, std::string, std::less<>> releases) {
  std::map<std::string, Affected> out;  // "id/package/ecosystem" -> entry
  for (const DebianIssue& issue : issues) {
    Status s = EmitDebianIssue(issue, releases, carried, [&](Vulnerability&& v) {
      for (Affected& a : v.affected) out[v.id + "/" + a.package + "/" + a.ecosystem] = a;
      return Status::OK();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  return out;
}

TEST(DebianCveList, ParsesIssuesXrefsAndLines) {
  std::vector<DebianIssue> issues;
  size_t unassigned = 0;
  ASSERT_TRUE(ParseDebianCveList(kList, "list", &issues, &unassigned).ok());
  EXPECT_EQ(unassigned, 1u);
  ASSERT_EQ(issues.size(), 4u);
  EXPECT_EQ(issues[0].id, "CVE-2021-36383");
  EXPECT_TRUE(issues[0].annotations.empty());
  EXPECT_EQ(issues[2].xrefs, (std::vector<std::string>{"DLA-2691-1", "DSA-4999-1"}));
  ASSERT_EQ(issues[2].annotations.size(), 5u);
  EXPECT_EQ(issues[2].annotations[0].kind, "fixed");
  EXPECT_EQ(issues[2].annotations[0].version, "0.75-3");
  EXPECT_EQ(issues[2].annotations[0].note, "low; bug #990901");
  EXPECT_EQ(issues[2].annotations[1].release, "bullseye");
  EXPECT_EQ(issues[2].annotations[1].kind, "no-dsa");
}

TEST(DebianCveList, StatusesPerReleaseAsDebianStatesThem) {
  std::vector<DebianIssue> issues;
  ASSERT_TRUE(ParseDebianCveList(kList, "list", &issues).ok());
  // bookworm carries putty 0.78-2 (>= unstable's fix), trixie 0.74-1 (older); nothing is
  // known of the others.
  CarriedVersion carried = [](std::string_view release,
                              std::string_view package) -> std::optional<std::string> {
    if (package != "putty") return std::nullopt;
    if (release == "bookworm") return std::string("0.78-2");
    if (release == "trixie") return std::string("0.74-1");
    return std::nullopt;
  };
  auto out = Emit(issues, carried, KnownDebianReleases());
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:unstable"].status, VulnStatus::kFixed);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:unstable"].severity, Severity::kLow);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:11"].status, VulnStatus::kAffected);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:11"].status_note, "no-dsa");
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:10"].status, VulnStatus::kWillNotFix);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:9"].status, VulnStatus::kFixed);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:9"].ranges[0].events.back().version, "0.67-3+deb9u2");
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:8"].status, VulnStatus::kFixDeferred);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:12"].status, VulnStatus::kFixed);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:12"].ranges[0].events.back().version, "0.75-3");
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:13"].status, VulnStatus::kAffected);  // older
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:13"].ranges[0].events.size(), 1u);
  EXPECT_EQ(out["CVE-2021-36367/putty/Debian:14"].status, VulnStatus::kFixed);  // unknown
  EXPECT_EQ(out["CVE-2021-36373/ant/Debian:12"].status, VulnStatus::kAffected);
  EXPECT_EQ(out["CVE-2021-36373/ant/Debian:12"].severity, Severity::kLow);
  EXPECT_EQ(out["CVE-2021-1111/zlib/Debian:12"].status, VulnStatus::kNotAffected);
  EXPECT_EQ(out["CVE-2021-1111/bash/Debian:12"].status, VulnStatus::kEndOfLife);
}

TEST(DebianCveList, AReleaseWhoseSourcesLackThePackageIsSkipped) {
  std::vector<DebianIssue> issues;
  ASSERT_TRUE(ParseDebianCveList(kList, "list", &issues).ok());
  CarriedVersion carried = [](std::string_view, std::string_view) {
    return std::optional<std::string>("");
  };
  auto out = Emit(issues, carried, {{"bookworm", "12"}, {"bullseye", "11"}});
  EXPECT_EQ(out.count("CVE-2021-36373/ant/Debian:12"), 0u);
  EXPECT_EQ(out.count("CVE-2021-36367/putty/Debian:11"), 1u);  // Its own line.
  EXPECT_EQ(out.count("CVE-2021-36373/ant/Debian:unstable"), 1u);
}

TEST(DebianCveList, BadInput) {
  std::vector<DebianIssue> issues;
  for (std::string_view bad : {"\t- foo 1.0\n", "not-an-id (x)\n", "CVE-1 (x)\n\t[bookworm - x\n",
                               "CVE-1 (x)\n\t[bookworm] foo\n", "CVE-1 (x)\n\t- foo <no-dsa\n"}) {
    Status s = ParseDebianCveList(bad, "list", &issues);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("list:"), std::string::npos) << s.ToString();
  }
  EXPECT_FALSE(ParseDebianCveList(std::string(5000, 'C'), "list", &issues).ok());
}

TEST(DebianSources, NewestVersionPerPackage) {
  std::map<std::string, std::string> out;
  ParseDebianSources(
      "Package: a\nVersion: 1.0-1\n\nPackage: b\nBinary: b1\nVersion: 2:1\n\n"
      "Package: a\nVersion: 1.0-1+deb12u1\n",
      &out);
  EXPECT_EQ(out["a"], "1.0-1+deb12u1");
  EXPECT_EQ(out["b"], "2:1");
}

// The tracker samples that vuln-list-update and trivy-db ship import, with the statuses
// the rules above give them.
TEST(DebianTrackerSamples, ImportWithTheRightStatuses) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  testing::TempDir dir;
  const std::string db_path = dir.path() + "/db.sqlite";
  auto w = DatabaseWriter::Begin(db_path);
  ASSERT_TRUE(w.ok());
  const std::string raw =
      testing::SharedDataDir() + "/vuln-list-update/debian/tracker/testdata/happy";
  const std::string vl = testing::SharedDataDir() +
                         "/trivy-db/pkg/vulnsrc/debian/testdata/happy/vuln-list-debian/tracker";
  auto a = ImportPath(**w, raw);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  EXPECT_EQ(a->kind, "debian-cve-list");
  auto b = ImportPath(**w, vl);
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(b->kind, "debian-vuln-list");
  ASSERT_TRUE((*w)->Commit().ok());
  auto db = Database::OpenReadOnly(db_path);
  ASSERT_TRUE(db.ok());
  auto status = [&](const char* key, const char* package, const char* id) -> std::string {
    std::vector<Candidate> c;
    EXPECT_TRUE((*db)->Lookup(key, package, &c).ok());
    for (const Candidate& x : c) {
      if (x.id == id)
        return std::string(StatusName(x.affected.status)) + "/" + x.affected.status_note;
    }
    return "none";
  };
  // data/CVE/list: putty is no-dsa in buster; stretch's Sources lack putty and ant.
  EXPECT_EQ(status("Debian:10", "putty", "CVE-2021-36367"), "affected/no-dsa");
  EXPECT_EQ(status("Debian:9", "putty", "CVE-2021-36367"), "none");
  EXPECT_EQ(status("Debian:unstable", "ant", "CVE-2021-36373"), "affected/open");
  // vuln-list: libgcrypt20 fixed in buster by its own line, no-dsa in stretch, and
  // bullseye carries unstable's fix.
  EXPECT_EQ(status("Debian:10", "libgcrypt20", "CVE-2021-33560"), "fixed/resolved");
  EXPECT_EQ(status("Debian:11", "libgcrypt20", "CVE-2021-33560"),
            "fixed/carries unstable's fix 1.8.7-6");
  EXPECT_EQ(status("Debian:10", "curl", "CVE-2016-4606"), "not-affected/not-affected");
  // The broken samples are refused with a message naming the file.
  for (const char* broken : {"broken-cve", "broken-distributions", "broken-packages"}) {
    auto w2 = DatabaseWriter::Begin(dir.path() + "/other.sqlite");
    auto s = ImportPath(**w2, testing::SharedDataDir() + "/trivy-db/pkg/vulnsrc/debian/testdata/" +
                                  broken + "/vuln-list-debian/tracker");
    EXPECT_FALSE(s.ok()) << broken;
  }
}

}  // namespace
}  // namespace bulkhead::vulndb
