#include "bulkhead/core/controls.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bulkhead {
namespace {

// The catalog is generated from ../shared/nist-800-190/controls.json when it exists.
bool SharedCatalogExists() {
#ifdef BULKHEAD_SHARED_DATA
  struct stat st;
  return stat(BULKHEAD_SHARED_DATA "/../nist-800-190/controls.json", &st) == 0;
#else
  return false;
#endif
}

#define REQUIRE_CATALOG()                                                                   \
  do {                                                                                      \
    if (!SharedCatalogExists())                                                             \
      GTEST_SKIP() << "shared nist-800-190/controls.json not found: built without catalog"; \
  } while (0)

TEST(ControlCatalogTest, HasAllSections) {
  REQUIRE_CATALOG();
  std::span<const Control> catalog = ControlCatalog();
  EXPECT_EQ(catalog.size(), 47u);
  std::set<std::string_view> ids;
  for (const Control& c : catalog) {
    EXPECT_FALSE(c.id.empty());
    EXPECT_FALSE(c.title.empty()) << c.id;
    EXPECT_TRUE(c.kind == "risk" || c.kind == "countermeasure") << c.id << ": " << c.kind;
    ids.insert(c.id);
  }
  EXPECT_EQ(ids.size(), catalog.size()) << "duplicate control ids";
}

TEST(ControlCatalogTest, ImageVulnerabilities) {
  REQUIRE_CATALOG();
  const Control* c = FindControl("4.1.1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->id, "4.1.1");
  EXPECT_EQ(c->kind, "countermeasure");
  EXPECT_EQ(c->title, "Image vulnerabilities");
  EXPECT_EQ(c->related, "3.1.1");
  const Control* risk = FindControl("3.1.1");
  ASSERT_NE(risk, nullptr);
  EXPECT_EQ(risk->kind, "risk");
  EXPECT_EQ(risk->related, "4.1.1");
}

TEST(ControlCatalogTest, RisksAndCountermeasuresPointAtEachOther) {
  REQUIRE_CATALOG();
  for (const Control& c : ControlCatalog()) {
    if (c.related.empty()) continue;
    const Control* other = FindControl(c.related);
    ASSERT_NE(other, nullptr) << c.id << " -> " << c.related;
    EXPECT_NE(other->kind, c.kind) << c.id << " -> " << c.related;
  }
}

TEST(ControlCatalogTest, FindControlMisses) {
  EXPECT_EQ(FindControl("9.9.9"), nullptr);
  EXPECT_EQ(FindControl(""), nullptr);  // the sentinel row is not part of the catalog
  EXPECT_EQ(FindControl("4.1"), nullptr);
}

Finding MakeFinding(std::string id, std::vector<std::string> controls) {
  Finding f;
  f.id = std::move(id);
  f.controls = std::move(controls);
  return f;
}

const ControlResult* FindResult(const Report& r, std::string_view id) {
  for (const ControlResult& c : r.controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

TEST(RollUpControlsTest, PassFailNotAssessed) {
  Report report;
  report.findings.push_back(MakeFinding("CVE-2024-2", {"4.1.1"}));
  report.findings.push_back(MakeFinding("CVE-2024-1", {"4.1.1", "4.1.3"}));
  report.findings.push_back(MakeFinding("CVE-2024-2", {"4.1.1"}));  // same id, another path
  report.findings.push_back(MakeFinding("SECRET-1", {"4.1.4"}));

  const std::string_view scope[] = {"4.1.1", "4.1.2", "4.1.3", "4.1.5"};
  const std::string_view assessed[] = {"4.1.1", "4.1.2"};
  RollUpControls(scope, assessed, &report);

  ASSERT_EQ(report.controls.size(), 4u);
  // In scope order.
  EXPECT_EQ(report.controls[0].id, "4.1.1");
  EXPECT_EQ(report.controls[1].id, "4.1.2");
  EXPECT_EQ(report.controls[2].id, "4.1.3");
  EXPECT_EQ(report.controls[3].id, "4.1.5");

  const ControlResult* vulns = FindResult(report, "4.1.1");
  EXPECT_EQ(vulns->status, ControlStatus::kFail);
  EXPECT_EQ(vulns->finding_ids, (std::vector<std::string>{"CVE-2024-1", "CVE-2024-2"}));

  const ControlResult* config = FindResult(report, "4.1.2");
  EXPECT_EQ(config->status, ControlStatus::kPass);
  EXPECT_TRUE(config->finding_ids.empty());

  // A finding fails a control even when nobody claimed to assess it.
  const ControlResult* malware = FindResult(report, "4.1.3");
  EXPECT_EQ(malware->status, ControlStatus::kFail);
  EXPECT_EQ(malware->finding_ids, (std::vector<std::string>{"CVE-2024-1"}));

  const ControlResult* untouched = FindResult(report, "4.1.5");
  EXPECT_EQ(untouched->status, ControlStatus::kNotAssessed);
  EXPECT_TRUE(untouched->finding_ids.empty());

  // Controls outside the scope are not reported, even with findings.
  EXPECT_EQ(FindResult(report, "4.1.4"), nullptr);
}

TEST(RollUpControlsTest, TitlesFromCatalog) {
  REQUIRE_CATALOG();
  Report report;
  const std::string_view scope[] = {"4.1.1", "9.9.9"};
  RollUpControls(scope, {}, &report);
  ASSERT_EQ(report.controls.size(), 2u);
  EXPECT_EQ(report.controls[0].title, "Image vulnerabilities");
  EXPECT_EQ(report.controls[1].title, "");  // unknown section: empty title
  EXPECT_EQ(report.controls[1].status, ControlStatus::kNotAssessed);
}

TEST(RollUpControlsTest, ReplacesEarlierRollup) {
  Report report;
  report.findings.push_back(MakeFinding("F", {"4.2.1"}));
  const std::string_view first[] = {"4.1.1", "4.2.1"};
  RollUpControls(first, {}, &report);
  ASSERT_EQ(report.controls.size(), 2u);
  const std::string_view second[] = {"4.1.1"};
  const std::string_view assessed[] = {"4.1.1"};
  RollUpControls(second, assessed, &report);
  ASSERT_EQ(report.controls.size(), 1u);
  EXPECT_EQ(report.controls[0].status, ControlStatus::kPass);
}

TEST(RollUpControlsTest, EmptyScopeGivesNoControls) {
  Report report;
  report.findings.push_back(MakeFinding("F", {"4.1.1"}));
  RollUpControls({}, {}, &report);
  EXPECT_TRUE(report.controls.empty());
}

TEST(RollUpControlsTest, StatusNames) {
  EXPECT_EQ(ControlStatusName(ControlStatus::kPass), "pass");
  EXPECT_EQ(ControlStatusName(ControlStatus::kFail), "fail");
  EXPECT_EQ(ControlStatusName(ControlStatus::kNotAssessed), "not-assessed");
}

}  // namespace
}  // namespace bulkhead
