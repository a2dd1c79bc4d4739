#include "bulkhead/policy/vex.h"

#include <gtest/gtest.h>

namespace bulkhead::policy {
namespace {

Finding Vuln(std::string id, std::string purl) {
  Finding f;
  f.id = std::move(id);
  f.kind = FindingKind::kVulnerability;
  f.severity = Severity::kHigh;
  f.controls = {"4.1.1"};
  f.package = PackageRef{"openssl", "3.0.11-1", std::move(purl)};
  return f;
}

Report SampleReport() {
  Report r;
  r.target.digest = "sha256:" + std::string(64, 'a');
  r.control_scope = {"4.1.1"};
  r.assessed_controls = {"4.1.1"};
  r.findings = {Vuln("CVE-2024-1", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12"),
                Vuln("CVE-2024-2", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12"),
                Vuln("CVE-2024-3", "pkg:deb/debian/zlib1g@1.2.13?arch=amd64")};
  Finding misconfig;
  misconfig.id = "CVE-2024-3";  // same id, but not a vulnerability: VEX never touches it
  misconfig.kind = FindingKind::kMisconfiguration;
  r.findings.push_back(misconfig);
  return r;
}

constexpr char kDoc[] = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "security@example.com",
  "timestamp": "2026-11-01T00:00:00Z",
  "version": 1,
  "statements": [
    {"vulnerability": {"name": "GHSA-xxxx", "aliases": ["CVE-2024-1"]},
     "products": [{"@id": "pkg:deb/debian/openssl@3.0.11-1"}],
     "status": "not_affected",
     "justification": "vulnerable_code_not_in_execute_path"},
    {"vulnerability": "CVE-2024-3",
     "products": ["pkg:deb/debian/zlib1g@1.2.13?arch=arm64"],
     "status": "not_affected", "justification": "component_not_present"},
    {"vulnerability": {"name": "CVE-2024-2"}, "status": "affected"},
    {"vulnerability": {"name": "CVE-2030-9"}, "status": "fixed"}
  ]
})";

TEST(VexTest, SuppressesCoveredVulnerabilitiesOnly) {
  auto vex = ParseOpenVex(kDoc, "vex.json");
  ASSERT_TRUE(vex.ok()) << vex.status().ToString();
  ASSERT_EQ(vex->statements.size(), 4u);
  Report r = SampleReport();
  ApplyVex(*vex, &r);
  std::vector<std::string> ids;
  for (const Finding& f : r.findings) ids.push_back(f.id);
  // CVE-2024-1 by alias and qualifier-free purl; CVE-2024-2 is "affected"; the zlib
  // statement names another architecture, so it covers nothing.
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2024-2", "CVE-2024-3", "CVE-2024-3"}));
  ASSERT_EQ(r.suppressed.size(), 1u);
  EXPECT_EQ(r.suppressed[0].by, "vex");
  EXPECT_EQ(r.suppressed[0].reason, "not_affected: vulnerable_code_not_in_execute_path");
  ASSERT_EQ(r.policy_notes.size(), 2u);
  EXPECT_EQ(r.policy_notes[0].subject, "CVE-2024-3");
  EXPECT_EQ(r.policy_notes[1].subject, "CVE-2030-9");
  ASSERT_EQ(r.controls.size(), 1u);
  EXPECT_EQ(r.controls[0].status, ControlStatus::kFail);
}

TEST(VexTest, AStatementNamingAFindingsAliasCoversIt) {
  Report r = SampleReport();
  r.findings[1].aliases = {"DSA-5000-1", "GHSA-abcd"};  // CVE-2024-2
  auto vex = ParseOpenVex(R"({"statements": [
      {"vulnerability": {"name": "GHSA-abcd"}, "status": "not_affected",
       "justification": "inline_mitigations_already_exist"}]})",
                          "v.json");
  ASSERT_TRUE(vex.ok()) << vex.status().ToString();
  ApplyVex(*vex, &r);
  ASSERT_EQ(r.suppressed.size(), 1u);
  EXPECT_EQ(r.suppressed[0].finding.id, "CVE-2024-2");
  EXPECT_TRUE(r.policy_notes.empty());
}

TEST(VexTest, ImageProductAndNoProduct) {
  Report r = SampleReport();
  auto vex = ParseOpenVex(R"({"statements": [
      {"vulnerability": {"name": "CVE-2024-2"}, "products": [{"@id": "pkg:oci/app@sha256:)" +
                              std::string(64, 'a') + R"("}], "status": "fixed"},
      {"vulnerability": {"name": "CVE-2024-3"}, "status": "not_affected"}]})",
                          "v.json");
  ASSERT_TRUE(vex.ok()) << vex.status().ToString();
  ApplyVex(*vex, &r);
  EXPECT_EQ(r.suppressed.size(), 2u);
  EXPECT_EQ(r.findings.size(), 2u);  // CVE-2024-1 and the misconfiguration
  EXPECT_TRUE(r.policy_notes.empty());
}

TEST(VexTest, BadDocumentsAreClearErrors) {
  struct Case {
    const char* json;
    const char* expect;
  };
  for (const Case& c :
       {Case{"{", "not valid JSON"}, Case{"[]", "is an object"},
        Case{"{\"statements\": 3}", "no 'statements' array"},
        Case{"{\"statements\": [1]}", "statements[0] is not an object"},
        Case{"{\"statements\": [{\"status\": \"fixed\"}]}", "names no vulnerability"},
        Case{"{\"statements\": [{\"vulnerability\": \"X\", \"status\": \"maybe\"}]}",
             "unknown status 'maybe'"}}) {
    auto vex = ParseOpenVex(c.json, "bad.json");
    ASSERT_FALSE(vex.ok()) << c.json;
    EXPECT_NE(vex.status().message().find("bad.json"), std::string_view::npos);
    EXPECT_NE(vex.status().message().find(c.expect), std::string_view::npos)
        << vex.status().message();
  }
  std::string deep(100000, '[');
  EXPECT_FALSE(ParseOpenVex(deep, "deep.json").ok());
}

}  // namespace
}  // namespace bulkhead::policy
