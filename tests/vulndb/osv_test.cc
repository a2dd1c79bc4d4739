#include "bulkhead/vulndb/osv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "bulkhead/vulndb/database.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vulndb {
namespace {

Vulnerability ParseOk(std::string_view json) {
  OsvParser parser;
  Result<std::optional<Vulnerability>> v = parser.Parse(json, "test.json");
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().ToString());
  EXPECT_TRUE(v.ok() && v->has_value());
  return v.ok() && v->has_value() ? **v : Vulnerability{};
}

std::string ParseError(std::string_view json) {
  OsvParser parser;
  Result<std::optional<Vulnerability>> v = parser.Parse(json, "bad.json");
  EXPECT_FALSE(v.ok());
  return v.ok() ? "" : std::string(v.error().message());
}

TEST(OsvParser, ReadsTheFieldsMatchingNeeds) {
  Vulnerability v = ParseOk(R"({
    "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-02T03:04:05Z",
    "aliases": ["CVE-2024-0001", "CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"],
    "summary": "bad thing",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "references": [{"type": "WEB", "url": "https://example.com/a"}],
    "affected": [{
      "package": {"ecosystem": "npm", "name": "left-pad"},
      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}],
      "versions": ["1.0.0"]
    }]})");
  EXPECT_EQ(v.id, "GHSA-aaaa-bbbb-cccc");
  EXPECT_EQ(v.aliases, std::vector<std::string>{"CVE-2024-0001"});
  EXPECT_EQ(v.summary, "bad thing");
  ASSERT_TRUE(v.cvss.has_value());
  EXPECT_EQ(v.cvss->version, "3.1");
  EXPECT_DOUBLE_EQ(v.cvss->score, 9.8);
  EXPECT_EQ(v.severity, Severity::kCritical);
  EXPECT_EQ(v.severity_source, "cvss:3.1");
  ASSERT_EQ(v.affected.size(), 1u);
  const Affected& a = v.affected[0];
  EXPECT_EQ(a.ecosystem, "npm");
  EXPECT_EQ(a.package, "left-pad");
  EXPECT_EQ(a.status, VulnStatus::kFixed);
  ASSERT_EQ(a.ranges.size(), 1u);
  EXPECT_EQ(a.ranges[0].type, Range::Type::kSemver);
  ASSERT_EQ(a.ranges[0].events.size(), 2u);
  EXPECT_EQ(a.ranges[0].events[1].kind, Event::Kind::kFixed);
  EXPECT_EQ(a.ranges[0].events[1].version, "1.3.0");
  EXPECT_EQ(a.versions, std::vector<std::string>{"1.0.0"});
}

TEST(OsvParser, DatabaseSpecificSeverityWinsOverCvss) {
  Vulnerability v = ParseOk(R"({"id": "ALSA-1", "modified": "x",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "database_specific": {"severity": "Moderate"}})");
  EXPECT_EQ(v.severity, Severity::kMedium);
  EXPECT_EQ(v.severity_source, "osv:database_specific");
  ASSERT_TRUE(v.cvss.has_value());  // Kept beside it.
}

TEST(OsvParser, UbuntuSeverityAndPerPackageSeverity) {
  Vulnerability v = ParseOk(R"({"id": "UBUNTU-CVE-1", "modified": "x",
    "severity": [{"type": "Ubuntu", "score": "medium"}],
    "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "curl"},
                  "ecosystem_specific": {"severity": "high"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})");
  EXPECT_EQ(v.severity, Severity::kMedium);
  EXPECT_EQ(v.severity_source, "ubuntu");
  ASSERT_EQ(v.affected.size(), 1u);
  EXPECT_EQ(v.affected[0].severity, Severity::kHigh);
  EXPECT_EQ(v.affected[0].status, VulnStatus::kAffected);  // No fix event.
}

TEST(OsvParser, WithdrawnRecordsAreIgnored) {
  OsvParser parser;
  Result<std::optional<Vulnerability>> v =
      parser.Parse(R"({"id": "X-1", "modified": "x", "withdrawn": "2024-01-01T00:00:00Z"})", "w");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
}

TEST(OsvParser, GitRangesAreValidatedButNotStored) {
  Vulnerability v = ParseOk(R"({"id": "OSV-1", "modified": "x", "affected": [{
    "package": {"ecosystem": "OSS-Fuzz", "name": "p"},
    "ranges": [{"type": "GIT", "repo": "https://x", "events": [{"introduced": "abc"}]}]}]})");
  ASSERT_EQ(v.affected.size(), 1u);
  EXPECT_TRUE(v.affected[0].ranges.empty());
}

TEST(OsvParser, AdjacentIntervalsAreAccepted) {
  // PYSEC-2022-42972 writes a fix and a re-introduction at one version.
  Vulnerability v = ParseOk(R"({"id": "PYSEC-1", "modified": "x", "affected": [{
    "package": {"ecosystem": "PyPI", "name": "p"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0.13.0"}, {"fixed": "0.14.0"},
               {"introduced": "0.12.2"}, {"fixed": "0.13.0"}]}]}]})");
  EXPECT_EQ(v.affected[0].ranges[0].events.size(), 4u);
}

TEST(OsvParser, RejectsMalformedRecordsWithAClearMessage) {
  EXPECT_NE(ParseError("{").find("bad.json: not valid JSON"), std::string::npos);
  EXPECT_NE(ParseError("[]").find("JSON object"), std::string::npos);
  EXPECT_NE(ParseError(R"({"modified": "x"})").find("'id'"), std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X"})").find("'modified'"), std::string::npos);
  EXPECT_NE(ParseError(R"({"id": 5, "modified": "x"})").find("'id'"), std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": {}})").find("not an array"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "Nopedistro", "name": "p"}}]})")
                .find("unknown ecosystem 'Nopedistro'"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "npm", "name": "p"}, "ranges": [{"type": "ECOSYSTEM", "events":
              [{"fixed": "1"}]}]}]})")
                .find("no 'introduced'"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "npm", "name": "p"}, "ranges": [{"type": "ECOSYSTEM", "events":
              [{"introduced": "1"}, {"fixed": "1"}]}]}]})")
                .find("is empty"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "npm", "name": "p"}, "ranges": [{"type": "ECOSYSTEM", "events":
              [{"introduced": "0"}, {"introduced": "0"}]}]}]})")
                .find("repeats"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "npm", "name": "p"}, "ranges": [{"type": "WEIRD", "events":
              [{"introduced": "0"}]}]}]})")
                .find("type 'WEIRD'"),
            std::string::npos);
  EXPECT_NE(ParseError(R"({"id": "X", "modified": "x", "affected": [{"package":
              {"ecosystem": "npm", "name": "p"}, "ranges": [{"type": "ECOSYSTEM", "events":
              [{"introduced": 1}]}]}]})")
                .find("not a version string"),
            std::string::npos);
  // Control characters would break storage and terminals.
  EXPECT_NE(ParseError("{\"id\": \"X\\u0001\", \"modified\": \"x\"}").find("'id'"),
            std::string::npos);
  // Huge strings and deep nesting.
  EXPECT_FALSE(
      ParseError("{\"id\": \"" + std::string(100000, 'A') + "\", \"modified\": \"x\"}").empty());
  EXPECT_FALSE(ParseError(std::string(10000, '[') + std::string(10000, ']')).empty());
}

}  // namespace
}  // namespace bulkhead::vulndb

namespace bulkhead::vulndb {
namespace {

// The OSV linter's fixtures: the invalid ones (named after the rule they break) are
// refused with a message naming the rule's subject; the valid ones are accepted.
// "nopackage-" breaks a rule that needs the package registry online, which bulkhead cannot
// judge offline: it is accepted, and counted apart.
TEST(OsvLinterConformance, InvalidFixturesAreRefusedValidOnesAccepted) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir = testing::SharedDataDir() + "/osv-schema/tools/osv-linter/testdata";
  size_t valid = 0, refused = 0;
  OsvParser parser;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string name = e.path().filename().string();
    Result<std::optional<Vulnerability>> v = parser.Parse(ss.str(), name);
    if (name.rfind("nointroduced-", 0) == 0) {
      ASSERT_FALSE(v.ok()) << name;
      EXPECT_NE(v.error().message().find("no 'introduced'"), std::string::npos);
      ++refused;
    } else if (name.rfind("nondistinct-", 0) == 0) {
      ASSERT_FALSE(v.ok()) << name;
      EXPECT_NE(v.error().message().find("is empty"), std::string::npos);
      ++refused;
    } else {
      EXPECT_TRUE(v.ok()) << name << ": " << (v.ok() ? "" : v.error().ToString());
      ++valid;
    }
  }
  EXPECT_EQ(refused, 2u);
  EXPECT_GE(valid, 9u);
}

// The import's path encodes affected entries straight from the text; it must store
// exactly what Parse followed by DatabaseWriter::Prepare stores.
TEST(OsvParser, ParsePreparedEncodesAsPrepare) {
  const std::string records[] = {
      R"({"id": "PYSEC-1", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-1", "GHSA-1"],
          "references": [{"url": "https://a"}, {"url": "https://b"}],
          "affected": [
            {"package": {"ecosystem": "PyPI", "name": "Django_Rest.Framework"},
             "ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "abc"}]},
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"},
                                                          {"introduced": "2.0"}, {"last_affected": "2.1"}]}],
             "versions": ["1.0", "1.1", "2.0"], "ecosystem_specific": {"severity": "HIGH"}},
            {"ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "0"}]}]},
            {"package": {"ecosystem": "AlmaLinux:9", "name": "kernel"},
             "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.14-1"}]}],
             "database_specific": {"severity": "low"}},
            {"package": {"ecosystem": "Ubuntu:Pro:22.04:LTS", "name": "openssl"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"limit": "2"}]}]}]})",
      R"({"id": "GO-1", "modified": "2024-01-01T00:00:00Z", "affected": []})",
  };
  OsvParser parser;
  for (const std::string& json : records) {
    Result<std::optional<Vulnerability>> full = parser.Parse(json, "r.json");
    ASSERT_TRUE(full.ok() && full->has_value()) << json;
    Result<PreparedRecord> expected = DatabaseWriter::Prepare(**full, 7);
    ASSERT_TRUE(expected.ok());
    PreparedRecord got;
    Result<std::optional<Vulnerability>> lean = parser.ParsePrepared(json, "r.json", 7, &got);
    ASSERT_TRUE(lean.ok() && lean->has_value());
    EXPECT_TRUE((*lean)->affected.empty());
    EXPECT_EQ((*lean)->id, (**full).id);
    EXPECT_EQ(got.vid, expected->vid);
    EXPECT_EQ(got.aliases, expected->aliases);
    EXPECT_EQ(got.references, expected->references);
    EXPECT_EQ(got.rows, expected->rows);
    EXPECT_EQ(got.row_count, expected->row_count);
    EXPECT_EQ(got.row_count, (**full).affected.size());
  }
  PreparedRecord bad;
  EXPECT_FALSE(parser
                   .ParsePrepared(R"({"id": "X", "modified": "m", "affected": [{"package":
      {"ecosystem": "Nowhere", "name": "x"}}]})",
                                  "bad.json", 1, &bad)
                   .ok());
}

}  // namespace
}  // namespace bulkhead::vulndb
