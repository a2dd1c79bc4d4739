// Conformance against osv-scalibr's hand-written version orderings
// (../shared/data/osv-scalibr/semantic/testdata/<ecosystem>-versions.txt). Each line is
// "A < B", "A = B" or "A > B"; blank lines and lines starting with "# " or "// " are
// comments. Every line is checked in both directions. The few lines where bulkhead
// deliberately differs are listed in kDeviations below, each with its reason; they are
// asserted to keep differing (so that a change in either side is noticed), and
// everything else must agree.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/version/version.h"
#include "tests/testing/test_util.h"

namespace bulkhead::version {
namespace {

struct Deviation {
  std::string_view file;
  std::string_view line;
  std::string_view reason;
};

// Lines where bulkhead's order is not the file's, on purpose. The file mixes apk-tools 2
// behaviour into its Alpine lines, follows the Maven spec text where Maven's own
// ComparableVersion disagrees, and calls some different invalid apk versions equal.
constexpr Deviation kDeviations[] = {
    {"alpine-versions.txt", "1-r = 1-r0",
     "apk-tools 3 rejects an empty revision number (\"-r\" with no digits), so 1-r turns "
     "invalid where 1-r0 goes on, and sorts below it (apk-tools 2 read -r as -r0)"},
    {"alpine-versions.txt", "1-r0-1 = 1-r-2",
     "apk-tools 3: 1-r0-1 has a valid -r0 where 1-r-2 turns invalid, so it is bigger "
     "(the file's = is apk-tools 2, and contradicts its own 1-r-0 < 1-r0)"},
    {"alpine-versions.txt", "1-r0-1 = 1-r0-2",
     "both turn invalid at the same token; bulkhead then orders the remaining bytes so "
     "that different invalid strings are never equal (a fix in 1-r0-2 must not also be "
     "'in' 1-r0-1); the file itself orders 0..1..0 < 0..1..1 that way"},
    {"alpine-versions.txt", "1-ruff2 = 1-ruff1", "as above: invalid tails ordered bytewise"},
    {"alpine-versions.txt", "1-ruff2 = 1--ruff1", "as above: invalid tails ordered bytewise"},
    {"alpine-versions.txt", "1-r0-ruff2 = 1-r0-ruff1", "as above: invalid tails ordered bytewise"},
    {"maven-versions.txt", "1-1 = 1-ga-1",
     "Maven's ComparableVersion (3.8.7, checked by maven_version_test against the real "
     "class) normalises 1-ga-1 to [1, [[1]]], which sorts below 1-1 = [1, [1]]; the "
     "file follows the spec text, which trims ga at each hyphen"},
};

struct FileCase {
  std::string_view file;
  Scheme scheme;
};

// Files for ecosystems whose scheme bulkhead does not implement (CRAN, Hackage,
// Packagist, Pub) are not listed.
constexpr FileCase kFiles[] = {
    {"debian-versions.txt", Scheme::kDpkg}, {"alpine-versions.txt", Scheme::kApk},
    {"redhat-versions.txt", Scheme::kRpm},  {"pypi-versions.txt", Scheme::kPep440},
    {"maven-versions.txt", Scheme::kMaven}, {"semver-versions.txt", Scheme::kSemver},
    {"nuget-versions.txt", Scheme::kNuGet}, {"rubygems-versions.txt", Scheme::kGem},
};

const Deviation* FindDeviation(std::string_view file, std::string_view line) {
  for (const Deviation& d : kDeviations) {
    if (d.file == file && d.line == line) return &d;
  }
  return nullptr;
}

std::vector<std::string> SplitSpaces(const std::string& line) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (true) {
    size_t space = line.find(' ', start);
    pieces.push_back(line.substr(start, space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return pieces;
}

class ConformanceTest : public ::testing::TestWithParam<FileCase> {};

TEST_P(ConformanceTest, EveryLineInBothDirections) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const FileCase& fc = GetParam();
  std::string path =
      testing::SharedDataDir() + "/osv-scalibr/semantic/testdata/" + std::string(fc.file);
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  int total = 0;
  int agreed = 0;
  int deviations = 0;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line.rfind("# ", 0) == 0 || line.rfind("// ", 0) == 0) continue;
    std::vector<std::string> p = SplitSpaces(line);
    ASSERT_EQ(p.size(), 3u) << fc.file << ":" << line_no << ": " << line;
    int want = p[1] == "<" ? -1 : p[1] == "=" ? 0 : p[1] == ">" ? 1 : 99;
    ASSERT_NE(want, 99) << fc.file << ":" << line_no << ": bad operator in " << line;
    ++total;
    int forward = Compare(fc.scheme, p[0], p[2]);
    int backward = Compare(fc.scheme, p[2], p[0]);
    EXPECT_EQ(forward, -backward) << "not antisymmetric: " << line;
    if (const Deviation* d = FindDeviation(fc.file, line)) {
      ++deviations;
      EXPECT_NE(forward, want) << fc.file << ":" << line_no << ": listed deviation now agrees, "
                               << "remove it from kDeviations: " << line << " (" << d->reason
                               << ")";
      continue;
    }
    EXPECT_EQ(forward, want) << fc.file << ":" << line_no << ": " << line;
    EXPECT_EQ(backward, -want) << fc.file << ":" << line_no << " (reversed): " << line;
    if (forward == want && backward == -want) ++agreed;
  }
  EXPECT_GT(total, 0);
  std::printf("[ conformance ] %s as %s: %d of %d lines agree, %d listed deviations\n",
              std::string(fc.file).c_str(), std::string(SchemeName(fc.scheme)).c_str(), agreed,
              total, deviations);
}

INSTANTIATE_TEST_SUITE_P(Scalibr, ConformanceTest, ::testing::ValuesIn(kFiles),
                         [](const ::testing::TestParamInfo<FileCase>& info) {
                           return std::string(SchemeName(info.param.scheme));
                         });

}  // namespace
}  // namespace bulkhead::version
