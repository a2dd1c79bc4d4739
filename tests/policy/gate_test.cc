#include "bulkhead/policy/gate.h"

#include <gtest/gtest.h>

#include "bulkhead/core/controls.h"

namespace bulkhead::policy {
namespace {

Finding MakeFinding(std::string id, Severity s, std::string control) {
  Finding f;
  f.id = std::move(id);
  f.severity = s;
  f.controls = {std::move(control)};
  return f;
}

TEST(ParseSeveritiesTest, AcceptsAnyCaseAndSpaces) {
  auto parsed = ParseSeverities("critical, High,MEDIUM");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed,
            (std::vector<Severity>{Severity::kCritical, Severity::kHigh, Severity::kMedium}));
}

TEST(ParseSeveritiesTest, RejectsUnknownAndEmpty) {
  auto bad = ParseSeverities("HIGH,SEVERE");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SEVERE"), std::string_view::npos);
  EXPECT_FALSE(ParseSeverities(" , ").ok());
}

TEST(FilterBySeverityTest, KeepsOnlyListedAndRecomputesControls) {
  Report r;
  r.findings = {MakeFinding("A", Severity::kLow, "4.1.2"),
                MakeFinding("B", Severity::kHigh, "4.1.4")};
  r.control_scope = {"4.1.2", "4.1.4"};
  r.assessed_controls = {"4.1.2", "4.1.4"};
  RollUpControls(&r);
  ASSERT_EQ(r.controls.size(), 2u);
  EXPECT_EQ(r.controls[0].status, ControlStatus::kFail);
  std::vector<Severity> keep = {Severity::kHigh};
  FilterBySeverity(keep, &r);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].id, "B");
  EXPECT_EQ(r.controls[0].status, ControlStatus::kPass);  // 4.1.2 lost its only finding
  EXPECT_EQ(r.controls[1].status, ControlStatus::kFail);
  EXPECT_EQ(r.controls[1].finding_count, 1u);
}

TEST(GateFailsTest, FailsOnlyWhenFindingsRemain) {
  Report r;
  EXPECT_FALSE(GateFails(r));
  r.findings.push_back(MakeFinding("A", Severity::kLow, "4.1.2"));
  EXPECT_TRUE(GateFails(r));
}

}  // namespace
}  // namespace bulkhead::policy
