// docs/k8s.md is checked against the catalog: every check has its row, cell for cell.
#include <gtest/gtest.h>

#include <string>

#include "bulkhead/k8s/check_catalog.h"
#include "tests/testing/test_util.h"

namespace bulkhead::k8s {
namespace {

std::string Row(const CheckInfo& c) {
  auto cell = [](std::string_view s) { return s.empty() ? std::string("-") : std::string(s); };
  return "| " + std::string(c.id) + " | " + std::string(SeverityName(c.severity)) + " | " +
         std::string(c.title) + " | " + cell(c.controls) + " | " + cell(c.standard) + " | " +
         cell(c.peers) + " |";
}

TEST(K8sDoc, EveryCheckIsDocumentedWithItsSeverityControlsAndStandard) {
  std::string doc = testing::ReadFileOrDie(std::string(BULKHEAD_TESTDATA) + "/../docs/k8s.md");
  std::string missing;
  for (const CheckInfo& c : CheckCatalog()) {
    std::string row = Row(c);
    if (doc.find(row + "\n") == std::string::npos) missing += row + "\n";
  }
  EXPECT_EQ(missing, "") << "rows of docs/k8s.md that differ from the catalog";
}

}  // namespace
}  // namespace bulkhead::k8s
