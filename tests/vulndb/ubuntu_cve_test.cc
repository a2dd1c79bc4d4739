#include "bulkhead/vulndb/ubuntu_cve.h"

#include <gtest/gtest.h>

#include <map>

#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/importer.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vulndb {
namespace {

constexpr const char* kFile =
    "PublicDateAtUSN: 2020-07-29 00:00:00 UTC\n"
    "Candidate: CVE-2019-15903\n"
    "References:\n"
    " https://example.com/a\n"
    "Description:\n"
    " In libexpat before 2.2.8, crafted XML input could\n"
    " fool the parser.\n"
    "Priority: medium\n"
    "Priority_vnc4: high\n"
    "CVSS:\n"
    " nvd: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H\n"
    "\n"
    "Patches_vnc4:\n"
    "upstream_vnc4: needs-triage\n"
    "precise/esm_vnc4: DNE\n"
    "trusty_vnc4: ignored (out of standard support)\n"
    "trusty/esm_vnc4:needed\n"
    "xenial_vnc4: needed\n"
    "bionic_vnc4: released (4.1.1+xorg4.3.0-37.3ubuntu2.1)\n"
    "focal_vnc4: pending (4.1.1+xorg4.3.0-37.6)\n"
    "jammy_vnc4: ignored (minor)\n"
    "noble_vnc4: not-affected (code not present)\n"
    "mantic_vnc4: needs-triage\n"
    "devel_vnc4: DNE\n"
    "lunar_expat: needed\n";

std::map<std::string, Affected> Parse(std::string_view text, Vulnerability* out = nullptr) {
  std::map<std::string, Affected> by_key;
  Status s = ParseUbuntuCve(text, "CVE-2019-15903", [&](Vulnerability&& v) {
    for (const Affected& a : v.affected) by_key[a.ecosystem + "/" + a.package] = a;
    if (out) *out = v;
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return by_key;
}

TEST(UbuntuCve, StatusesAsUbuntuStatesThem) {
  Vulnerability v;
  auto a = Parse(kFile, &v);
  EXPECT_EQ(v.id, "CVE-2019-15903");
  EXPECT_EQ(v.summary, "In libexpat before 2.2.8, crafted XML input could fool the parser.");
  ASSERT_TRUE(v.cvss.has_value());
  EXPECT_DOUBLE_EQ(v.cvss->score, 7.5);
  EXPECT_EQ(v.references, std::vector<std::string>{"https://example.com/a"});
  EXPECT_EQ(a["Ubuntu:14.04/vnc4"].status, VulnStatus::kEndOfLife);
  EXPECT_EQ(a["Ubuntu:16.04/vnc4"].status, VulnStatus::kAffected);
  EXPECT_EQ(a["Ubuntu:18.04/vnc4"].status, VulnStatus::kFixed);
  EXPECT_EQ(a["Ubuntu:18.04/vnc4"].ranges[0].events.back().version,
            "4.1.1+xorg4.3.0-37.3ubuntu2.1");
  EXPECT_EQ(a["Ubuntu:20.04/vnc4"].status, VulnStatus::kFixDeferred);
  EXPECT_EQ(a["Ubuntu:22.04/vnc4"].status, VulnStatus::kWillNotFix);  // Ubuntu's "ignored"
  EXPECT_EQ(a["Ubuntu:22.04/vnc4"].status_note, "ignored (minor)");
  EXPECT_EQ(a["Ubuntu:24.04/vnc4"].status, VulnStatus::kNotAffected);
  EXPECT_EQ(a["Ubuntu:23.10/vnc4"].status, VulnStatus::kUnderInvestigation);
  EXPECT_EQ(a["Ubuntu:22.04/vnc4"].severity, Severity::kHigh);     // Priority_vnc4
  EXPECT_EQ(a["Ubuntu:23.04/expat"].severity, Severity::kMedium);  // Priority
  EXPECT_EQ(a.count("Ubuntu:12.04/vnc4"), 0u);                     // DNE
  EXPECT_EQ(a.size(), 8u);  // No upstream, devel or Pro streams.
}

TEST(UbuntuCve, BadInput) {
  for (std::string_view bad : {"Priority: low\n", "Candidate: CVE-1\nxenial_a: exploded\n",
                               "Candidate: CVE-1\nno colon here\n"}) {
    Status s = ParseUbuntuCve(bad, "f", [](Vulnerability&&) { return Status::OK(); });
    EXPECT_FALSE(s.ok()) << bad;
  }
}

TEST(UbuntuCveConformance, VulnListUpdateSamples) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  testing::TempDir dir;
  auto w = DatabaseWriter::Begin(dir.path() + "/db.sqlite");
  auto stats = ImportPath(**w, testing::SharedDataDir() + "/vuln-list-update/ubuntu/testdata");
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_EQ(stats->kind, "ubuntu-cve-tracker");
  EXPECT_EQ(stats->records, 10);
  ASSERT_TRUE((*w)->Commit().ok());
  auto db = Database::OpenReadOnly(dir.path() + "/db.sqlite");
  std::vector<Candidate> c;
  ASSERT_TRUE((*db)->Lookup("Ubuntu:14.04", "salt", &c).ok());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].affected.status, VulnStatus::kEndOfLife);  // "end of standard support"
  c.clear();
  ASSERT_TRUE((*db)->Lookup("Ubuntu:19.10", "linux-oem", &c).ok());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].affected.status, VulnStatus::kFixDeferred);  // pending
}

}  // namespace
}  // namespace bulkhead::vulndb
