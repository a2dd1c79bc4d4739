// The check catalog, and docs/checks.md against it so that the documentation cannot
// drift from the code.
#include "bulkhead/config/check_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/test_util.h"

namespace bulkhead::config {
namespace {

using ::testing::HasSubstr;

TEST(CheckCatalog, IdsAreContiguousUniqueAndInOrder) {
  std::span<const CheckInfo> all = CheckCatalog();
  ASSERT_EQ(all.size(), 14u);
  for (size_t i = 0; i < all.size(); ++i) {
    std::string n = std::to_string(i + 1);
    std::string want = "BH-IMG-" + std::string(3 - n.size(), '0') + n;
    EXPECT_EQ(all[i].id, want);
    EXPECT_EQ(FindCheck(all[i].id), &all[i]);
  }
  EXPECT_EQ(FindCheck("BH-IMG-000"), nullptr);
  EXPECT_EQ(FindCheck("BH-IMG-015"), nullptr);
  EXPECT_EQ(FindCheck(""), nullptr);
}

TEST(CheckCatalog, NamedConstantsPointAtTheirRows) {
  EXPECT_EQ(FindCheck(kRunsAsRoot)->title, "Image runs as root");
  EXPECT_EQ(FindCheck(kNoHealthcheck)->title, "No HEALTHCHECK");
  EXPECT_EQ(FindCheck(kSetuidFile)->title, "setuid or setgid file");
  EXPECT_EQ(FindCheck(kWorldWritable)->title, "World-writable file outside /tmp");
  EXPECT_EQ(FindCheck(kSudoInstalled)->title, "sudo is installed");
  EXPECT_EQ(FindCheck(kSshServer)->title, "SSH server in the image");
  EXPECT_EQ(FindCheck(kSecretEnvKey)->title, "Secret-shaped ENV variable");
  EXPECT_EQ(FindCheck(kRemoteAdd)->title, "ADD from a remote URL");
  EXPECT_EQ(FindCheck(kPackageCache)->title, "Package-manager cache left in the image");
  EXPECT_EQ(FindCheck(kUpgradeInBuild)->title, "Package upgrade in the build");
  EXPECT_EQ(FindCheck(kUnpinnedTag)->title, "Image not pinned: tag is latest or missing");
  EXPECT_EQ(FindCheck(kEndOfLifeOs)->title, "Base OS is past its end of life");
  EXPECT_EQ(FindCheck(kUntrustedRegistry)->title, "Image from a registry outside the trusted list");
  EXPECT_EQ(FindCheck(kEmptyPassword)->title, "Account with an empty password");
}

TEST(CheckCatalog, EveryRowIsComplete) {
  const std::set<std::string_view> sections = {"4.1.2", "4.1.4", "4.1.5"};
  for (const CheckInfo& c : CheckCatalog()) {
    SCOPED_TRACE(std::string(c.id));
    EXPECT_NE(c.severity, Severity::kUnknown);
    EXPECT_FALSE(c.title.empty());
    EXPECT_FALSE(c.rationale.empty());
    EXPECT_FALSE(c.remediation.empty());
    EXPECT_TRUE(sections.count(c.control)) << c.control;
    // docs/checks.md renders the rows as a Markdown table.
    for (std::string_view text : {c.title, c.rationale, c.remediation, c.peers}) {
      EXPECT_EQ(text.find('|'), std::string_view::npos) << text;
      EXPECT_EQ(text.find('\n'), std::string_view::npos) << text;
    }
  }
}

TEST(CheckCatalog, PeerIdsAreWellFormed) {
  // "CIS Docker 4.1; Dockle CIS-DI-0001", either part optional.
  for (const CheckInfo& c : CheckCatalog()) {
    std::string_view peers = c.peers;
    while (!peers.empty()) {
      size_t semi = peers.find("; ");
      std::string_view part = peers.substr(0, semi);
      peers = semi == std::string_view::npos ? "" : peers.substr(semi + 2);
      EXPECT_TRUE(part.rfind("CIS Docker ", 0) == 0 || part.rfind("Dockle ", 0) == 0)
          << c.id << ": " << part;
    }
  }
}

// The rows of the table in the "## Checks" section of docs/checks.md:
// "| BH-IMG-001 | MEDIUM | title | 4.1.2 | rationale | remediation | peers |".
std::vector<std::vector<std::string>> DocRows(const std::string& doc) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(doc);
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line == "## Checks";
    if (!in_section || line.rfind("| BH-IMG-", 0) != 0) continue;
    std::vector<std::string> cells;
    size_t pos = 1;
    for (size_t bar; (bar = line.find(" |", pos)) != std::string::npos; pos = bar + 2) {
      std::string cell = line.substr(pos, bar - pos);
      cell.erase(0, cell.find_first_not_of(' '));
      cells.push_back(cell);
    }
    rows.push_back(cells);
  }
  return rows;
}

TEST(ChecksDoc, EveryCheckIsDocumentedWithItsSeverity) {
  std::string doc = testing::ReadFileOrDie(BULKHEAD_TESTDATA "/../docs/checks.md");
  std::vector<std::vector<std::string>> rows = DocRows(doc);
  for (const CheckInfo& c : CheckCatalog()) {
    SCOPED_TRACE(std::string(c.id));
    const std::vector<std::string>* row = nullptr;
    for (const auto& r : rows) {
      if (!r.empty() && r[0] == c.id) {
        EXPECT_EQ(row, nullptr) << "documented twice";
        row = &r;
      }
    }
    ASSERT_NE(row, nullptr) << "not in the docs/checks.md table";
    ASSERT_GE(row->size(), 7u);
    EXPECT_EQ((*row)[1], SeverityName(c.severity));
    EXPECT_EQ((*row)[2], c.title);
    EXPECT_EQ((*row)[3], c.control);
    EXPECT_EQ((*row)[4], c.rationale);
    EXPECT_EQ((*row)[5], c.remediation);
    EXPECT_EQ((*row)[6], c.peers.empty() ? "-" : c.peers);
  }
  EXPECT_EQ(rows.size(), CheckCatalog().size()) << "docs/checks.md documents unknown checks";
}

TEST(ChecksDoc, PeerMappingCoversEveryDockleCheckpoint) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  std::string doc = testing::ReadFileOrDie(BULKHEAD_TESTDATA "/../docs/checks.md");
  std::string checkpoints =
      testing::ReadFileOrDie(testing::SharedDataDir() + "/dockle/CHECKPOINT.md");
  std::string peer = doc.substr(doc.find("## Peer mapping"));
  std::istringstream in(checkpoints);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("### ", 0) != 0) continue;
    std::string code = line.substr(4);
    EXPECT_THAT(peer, HasSubstr("| " + code + " |")) << "Dockle checkpoint not mapped";
    ++count;
  }
  EXPECT_EQ(count, 20);
}

}  // namespace
}  // namespace bulkhead::config
