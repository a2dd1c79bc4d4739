#include "bulkhead/policy/policy_file.h"

#include <gtest/gtest.h>

#include <string>

namespace bulkhead::policy {
namespace {

Finding MakeFinding(std::string id, FindingKind kind, Severity s, std::string path = "",
                    std::string purl = "", std::string fixed = "") {
  Finding f;
  f.id = std::move(id);
  f.kind = kind;
  f.severity = s;
  f.path = std::move(path);
  f.controls = {"4.1.2"};
  if (!purl.empty()) f.package = PackageRef{"pkg", "1.0", purl};
  f.fixed_version = std::move(fixed);
  return f;
}

Report SampleReport() {
  Report r;
  r.control_scope = {"4.1.1", "4.1.2"};
  r.assessed_controls = {"4.1.1", "4.1.2"};
  r.findings = {
      MakeFinding("CVE-2024-1", FindingKind::kVulnerability, Severity::kCritical, "",
                  "pkg:deb/debian/openssl@3.0.11-1?arch=amd64", "3.0.13-1"),
      MakeFinding("CVE-2024-2", FindingKind::kVulnerability, Severity::kHigh, "",
                  "pkg:deb/debian/zlib1g@1.2.13?arch=amd64", ""),
      MakeFinding("BH-IMG-002", FindingKind::kMisconfiguration, Severity::kLow),
      MakeFinding("BH-IMG-003", FindingKind::kMisconfiguration, Severity::kMedium, "/usr/bin/su"),
  };
  return r;
}

TEST(ParsePolicyTest, FullDocument) {
  auto p = ParsePolicy(R"(
fail_on:
  - kind: vulnerability
    severity: [CRITICAL, HIGH]
    fixed_only: true
  - kind: secret
checks:
  skip: [BH-IMG-002]
  enforce: BH-IMG-001
exceptions:
  - id: CVE-2024-9
    reason: not reachable
    expires: 2027-01-31
  - path: /usr/bin/
    reason: base image tools, reviewed
trusted_registries: [registry.example.com]
)",
                       "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->fail_on.size(), 2u);
  EXPECT_EQ(p->fail_on[0].kind, FindingKind::kVulnerability);
  EXPECT_TRUE(p->fail_on[0].fixed_only);
  EXPECT_EQ(p->fail_on[0].severities.size(), 2u);
  EXPECT_EQ(p->skip_checks, std::vector<std::string>{"BH-IMG-002"});
  EXPECT_EQ(p->enforce_checks, std::vector<std::string>{"BH-IMG-001"});
  ASSERT_EQ(p->exceptions.size(), 2u);
  EXPECT_EQ(p->exceptions[0].expires, "2027-01-31");
  EXPECT_EQ(p->trusted_registries, std::vector<std::string>{"registry.example.com"});
}

TEST(ParsePolicyTest, EmptyPolicyIsTheDefaultGate) {
  auto p = ParsePolicy("", "empty.yaml");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->fail_on.empty());
}

TEST(ParsePolicyTest, ErrorsNameFileAndField) {
  struct Case {
    const char* yaml;
    const char* expect;
  };
  for (const Case& c : {
           Case{"fail_on: [{kind: virus}]", "unknown kind 'virus'"},
           Case{"fail_on: [{severity: [SEVERE]}]", "SEVERE"},
           Case{"fail_onn: []", "unknown key 'fail_onn'"},
           Case{"exceptions: [{id: X}]", "needs a reason"},
           Case{"exceptions: [{reason: r}]", "names no id, purl or path"},
           Case{"exceptions: [{id: X, reason: r, expires: soon}]", "not YYYY-MM-DD"},
           Case{"checks: [a]", "checks must be a map"},
           Case{"[1, 2", "invalid YAML"},
           Case{"- a\n- b\n", "a policy is a YAML map"},
       }) {
    auto p = ParsePolicy(c.yaml, "bad.yaml");
    ASSERT_FALSE(p.ok()) << c.yaml;
    EXPECT_NE(p.status().message().find("bad.yaml"), std::string_view::npos) << c.yaml;
    EXPECT_NE(p.status().message().find(c.expect), std::string_view::npos)
        << c.yaml << " -> " << p.status().message();
  }
}

TEST(ParsePolicyTest, AliasBombIsRefused) {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", *" : "*") + prev;
    yaml += "]\n";
    prev = c;
  }
  yaml += "trusted_registries: *j\n";
  auto p = ParsePolicy(yaml, "bomb.yaml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kResourceExhausted);
}

TEST(ApplyPolicyTest, FailOnRulesDecideTheGate) {
  auto p = ParsePolicy(
      "fail_on: [{kind: vulnerability, severity: [CRITICAL, HIGH], fixed_only: true}]", "p.yaml");
  ASSERT_TRUE(p.ok());
  Report r = SampleReport();
  EXPECT_TRUE(ApplyPolicy(*p, "2026-01-01", &r));  // CVE-2024-1 is critical and fixed
  r = SampleReport();
  r.findings.erase(r.findings.begin());  // only the unfixed HIGH and misconfigurations left
  EXPECT_FALSE(ApplyPolicy(*p, "2026-01-01", &r));
  EXPECT_EQ(r.findings.size(), 3u);  // still reported, just not failing
}

TEST(ApplyPolicyTest, AnExceptionMayNameAnAlias) {
  auto p = ParsePolicy(R"(
exceptions:
  - id: GHSA-aaaa-bbbb-cccc
    reason: reviewed under its GHSA id
)",
                       "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Report r = SampleReport();
  r.findings[0].aliases = {"GHSA-aaaa-bbbb-cccc"};
  ApplyPolicy(*p, "2026-01-01", &r);
  ASSERT_EQ(r.suppressed.size(), 1u);
  EXPECT_EQ(r.suppressed[0].finding.id, "CVE-2024-1");
  EXPECT_TRUE(r.policy_notes.empty());
}

TEST(ApplyPolicyTest, SkipEnforceAndExceptions) {
  auto p = ParsePolicy(R"(
fail_on: [{kind: secret}]
checks: {skip: [BH-IMG-002], enforce: [BH-IMG-003]}
exceptions:
  - purl: pkg:deb/debian/zlib1g@1.2.13
    reason: reviewed
  - id: CVE-2024-1
    reason: old review
    expires: 2025-12-31
  - id: CVE-1999-0001
    reason: matches nothing
)",
                       "p.yaml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  Report r = SampleReport();
  bool fails = ApplyPolicy(*p, "2026-01-01", &r);
  EXPECT_TRUE(fails);  // BH-IMG-003 is enforced
  std::vector<std::string> ids;
  for (const Finding& f : r.findings) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2024-1", "BH-IMG-003"}));
  ASSERT_EQ(r.suppressed.size(), 1u);
  EXPECT_EQ(r.suppressed[0].finding.id, "CVE-2024-2");
  EXPECT_EQ(r.suppressed[0].by, "exception");
  EXPECT_EQ(r.suppressed[0].reason, "reviewed");
  ASSERT_EQ(r.policy_notes.size(), 2u);
  EXPECT_EQ(r.policy_notes[0].kind, "expired-exception");
  EXPECT_NE(r.policy_notes[0].message.find("2025-12-31"), std::string::npos);
  EXPECT_EQ(r.policy_notes[1].kind, "unused-exception");
  EXPECT_EQ(r.policy_notes[1].subject, "id=CVE-1999-0001");
  // Before its expiry the dated exception silences its finding.
  r = SampleReport();
  ApplyPolicy(*p, "2025-12-31", &r);
  EXPECT_EQ(r.suppressed.size(), 2u);
}

TEST(ApplyPolicyTest, PathPrefixAndControlsRolledUp) {
  auto p = ParsePolicy("exceptions: [{path: /usr/bin/, reason: base tools}]", "p.yaml");
  ASSERT_TRUE(p.ok());
  Report r = SampleReport();
  r.findings = {
      MakeFinding("BH-IMG-003", FindingKind::kMisconfiguration, Severity::kMedium, "/usr/bin/su")};
  EXPECT_FALSE(ApplyPolicy(*p, "2026-01-01", &r));
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.controls.size(), 2u);
  EXPECT_EQ(r.controls[1].status, ControlStatus::kPass);
  r.findings = {
      MakeFinding("BH-IMG-003", FindingKind::kMisconfiguration, Severity::kMedium, "/usr/binx/su")};
  EXPECT_TRUE(ApplyPolicy(*p, "2026-01-01", &r));
}

}  // namespace
}  // namespace bulkhead::policy
