#include "bulkhead/version/semver.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/version/test_support.h"

namespace bulkhead::version {
namespace {

TEST(Semver, Precedence) {
  const char* kOrdered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                            "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                            "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                            "1.1.0",       "2.0.0"};
  for (size_t i = 0; i + 1 < std::size(kOrdered); ++i) {
    EXPECT_EQ(CompareSemver(kOrdered[i], kOrdered[i + 1]), -1) << kOrdered[i];
    EXPECT_EQ(CompareSemver(kOrdered[i + 1], kOrdered[i]), 1) << kOrdered[i];
  }
  EXPECT_EQ(CompareSemver("1.2.3-r100", "1.2.3-r2"), -1);  // alphanumerics: ASCII order
  EXPECT_EQ(CompareSemver("1.2.3-R2", "1.2.3-r100"), -1);
  EXPECT_EQ(CompareSemver("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta"), 0);
}

TEST(Semver, GoFlavour) {
  EXPECT_EQ(CompareSemver("v1.2.3", "1.2.3"), 0);
  EXPECT_EQ(CompareSemver("v2.0.0+incompatible", "v2.0.0"), 0);
  EXPECT_EQ(CompareSemver("v2.0.0+incompatible", "v2.0.1"), -1);
  EXPECT_EQ(CompareSemver("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0"), -1);
  EXPECT_EQ(
      CompareSemver("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20200101000000-aaaaaaaaaaaa"),
      -1);
  EXPECT_EQ(CompareSemver("v1", "v1.0.0"), 0);  // Go shorthands
  EXPECT_EQ(CompareSemver("v1.2", "v1.2.0"), 0);
  EXPECT_EQ(CompareSemver("v1.2", "v1.10.0"), -1);
  EXPECT_FALSE(IsValidSemver("v1.2"));  // but not valid SemVer
}

TEST(Semver, InvalidInput) {
  EXPECT_FALSE(IsValidSemver("1.2.3.4"));
  EXPECT_FALSE(IsValidSemver("01.2.3"));
  EXPECT_FALSE(IsValidSemver("1.2.3-01"));
  EXPECT_FALSE(IsValidSemver("1.2.3-"));
  EXPECT_FALSE(IsValidSemver("1.2.3-a..b"));
  EXPECT_FALSE(IsValidSemver("1.2.3+"));
  EXPECT_FALSE(IsValidSemver("1.2-pre"));
  EXPECT_FALSE(IsValidSemver(""));
  EXPECT_TRUE(IsValidSemver("1.2.3-0.a-b.c+build.01"));
  EXPECT_TRUE(IsValidSemver("v0.0.0"));
  // Invalid sorts before valid, bytewise among invalid.
  EXPECT_EQ(CompareSemver("999.999.999.999", "0.0.0-a"), -1);
  EXPECT_EQ(CompareSemver("1.2.3.4", "1.2.3.5"), -1);
  EXPECT_EQ(CompareSemver("1.2.3.4", "1.2.3.4"), 0);
  std::string big = std::string(100000, '9') + ".0.0";
  EXPECT_EQ(CompareSemver(big, "1" + std::string(100000, '0') + ".0.0"), -1);
}

TEST(NuGet, FourPartsAndCase) {
  EXPECT_EQ(CompareNuGetVersions("1.0", "1.0.0.0"), 0);
  EXPECT_EQ(CompareNuGetVersions("1.0.01", "1.0.1.0"), 0);
  EXPECT_EQ(CompareNuGetVersions("1.0.0", "1.0.0.1"), -1);
  EXPECT_EQ(CompareNuGetVersions("1.0.0-BETA", "1.0.0-beta"), 0);
  EXPECT_EQ(CompareNuGetVersions("1.0.0-beta", "1.0.0-beta2"), -1);
  EXPECT_EQ(CompareNuGetVersions("1.0.0-pre", "1.0.0.1-alpha"), -1);
  EXPECT_EQ(CompareNuGetVersions("1.0.0+AA", "1.0.0+bb"), 0);
  EXPECT_TRUE(IsValidNuGetVersion("1.2.3.4-rc.1+meta"));
  EXPECT_FALSE(IsValidNuGetVersion("1.2.3.4.5"));
  EXPECT_FALSE(IsValidNuGetVersion("v1.2.3"));
  EXPECT_EQ(CompareNuGetVersions("1.2.3.4.5", "0.0.1"), -1);
}

// ---- Property test against node-semver (the one npm ships) --------------------------

constexpr const char* kNodeSemver = "/usr/lib/node_modules/npm/node_modules/semver";

std::string RandomIdentifier(std::mt19937_64& rng) {
  static const char* kIds[] = {"0", "1", "2", "10",  "11", "alpha", "beta", "rc",
                               "a", "b", "A", "x-y", "1a", "0a",    "-",    "pre"};
  return kIds[testing::Pick(rng, std::size(kIds))];
}

std::string RandomSemver(std::mt19937_64& rng) {
  std::string v = std::to_string(testing::Pick(rng, 3)) + "." +
                  std::to_string(testing::Pick(rng, 3)) + "." +
                  std::to_string(testing::Pick(rng, 12));
  if (testing::Pick(rng, 3) != 0) {
    size_t n = 1 + testing::Pick(rng, 4);
    v += "-";
    for (size_t i = 0; i < n; ++i) v += (i ? "." : "") + RandomIdentifier(rng);
  }
  if (testing::Pick(rng, 5) == 0) v += "+build." + RandomIdentifier(rng);
  return v;
}

TEST(Semver, AgreesWithNodeSemverOnRandomPairs) {
  int code;
  testing::RunShell(std::string("test -d ") + kNodeSemver, &code);
  if (code != 0 || !testing::HaveProgram("node")) GTEST_SKIP() << "node-semver not available";
  std::mt19937_64 rng = testing::SeededRng("Semver.AgreesWithNodeSemverOnRandomPairs");
  std::vector<std::pair<std::string, std::string>> pairs;
  std::ostringstream input;
  while (pairs.size() < 5000) {
    std::string a = RandomSemver(rng);
    std::string b = RandomSemver(rng);
    pairs.emplace_back(a, b);
    input << a << ' ' << b << '\n';
  }
  std::string path = testing::WriteTempFile(input.str());
  std::string js = std::string("const s=require('") + kNodeSemver +
                   "');const fs=require('fs');const out=[];"
                   "for(const l of fs.readFileSync('" +
                   path +
                   "','utf8').split('\\n')){if(!l)continue;const [a,b]=l.split(' ');"
                   "out.push(s.valid(a)&&s.valid(b)?s.compare(a,b):'E');}"
                   "console.log(out.join('\\n'));";
  std::string out = testing::RunShell("node -e \"" + js + "\"", &code);
  std::remove(path.c_str());
  ASSERT_EQ(code, 0) << out;
  std::istringstream lines(out);
  std::string line;
  size_t i = 0;
  size_t compared = 0;
  size_t mismatches = 0;
  while (std::getline(lines, line) && i < pairs.size()) {
    const auto& [a, b] = pairs[i++];
    if (line == "E") {
      EXPECT_FALSE(IsValidSemver(a) && IsValidSemver(b)) << a << " " << b;
      continue;
    }
    EXPECT_TRUE(IsValidSemver(a) && IsValidSemver(b)) << a << " " << b;
    ++compared;
    int want = std::stoi(line);
    int got = CompareSemver(a, b);
    if (got != want && ++mismatches <= 20) {
      ADD_FAILURE() << "node-semver: compare(" << a << ", " << b << ") = " << want
                    << ", bulkhead says " << got;
    }
  }
  EXPECT_EQ(i, pairs.size());
  std::printf("[ semver ] %zu pairs compared with node-semver, %zu mismatches\n", compared,
              mismatches);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(compared, pairs.size() / 4);
}

}  // namespace
}  // namespace bulkhead::version
