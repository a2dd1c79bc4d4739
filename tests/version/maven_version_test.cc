#include "bulkhead/version/maven_version.h"

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

int Cmp(std::string_view a, std::string_view b) { return CompareMavenVersions(a, b); }

TEST(MavenVersion, Qualifiers) {
  const char* kOrdered[] = {"1.0-alpha-1", "1.0-alpha-2",  "1.0-beta", "1.0-milestone-1",
                            "1.0-rc1",     "1.0-SNAPSHOT", "1.0",      "1.0-sp1",
                            "1.0-foo",     "1.0-1",        "1.0.1"};
  for (size_t i = 0; i + 1 < std::size(kOrdered); ++i) {
    EXPECT_EQ(Cmp(kOrdered[i], kOrdered[i + 1]), -1) << kOrdered[i] << " < " << kOrdered[i + 1];
    EXPECT_EQ(Cmp(kOrdered[i + 1], kOrdered[i]), 1) << kOrdered[i];
  }
  EXPECT_EQ(Cmp("1.0-cr1", "1.0-RC1"), 0);
  EXPECT_EQ(Cmp("1a1", "1-alpha-1"), 0);
  EXPECT_EQ(Cmp("1b2", "1-beta-2"), 0);
  EXPECT_EQ(Cmp("1m3", "1-milestone-3"), 0);
  EXPECT_EQ(Cmp("1.0-a", "1.0-alpha"), 1);  // "a" alone is not alpha
  EXPECT_EQ(Cmp("1-final", "1"), 0);
  EXPECT_EQ(Cmp("1-ga", "1.0.0"), 0);
  EXPECT_EQ(Cmp("1.0-xyz", "1.0-abc"), 1);  // other qualifiers: alphabetical
}

TEST(MavenVersion, SeparatorsAndPadding) {
  EXPECT_EQ(Cmp("1", "1.0.0"), 0);
  EXPECT_EQ(Cmp("1", "1-0"), 0);
  EXPECT_EQ(Cmp("1.", "1"), 0);
  EXPECT_EQ(Cmp("1-", "1"), 0);
  EXPECT_EQ(Cmp("1.01", "1.1"), 0);
  EXPECT_EQ(Cmp("1.0.0", "1.0-1"), -1);
  EXPECT_EQ(Cmp("2.0-1", "2.0.1"), -1);
  EXPECT_EQ(Cmp("1-0.1", "1"), 1);
  EXPECT_EQ(Cmp("1-ga-1", "1-1"), -1);  // ComparableVersion: [1, [[1]]] < [1, [1]]
  EXPECT_EQ(Cmp("20190126.230843", "1234567890.12345"), -1);
  EXPECT_EQ(Cmp("12345678901234567890.1", "123456789012345678901.0"), -1);
}

TEST(MavenVersion, HostileInput) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "1-";
  EXPECT_EQ(Cmp(deep, deep), 0);
  EXPECT_EQ(Cmp(deep + "2", deep + "1"), 1);
  EXPECT_EQ(Cmp(deep, deep + "a"), -1);  // an unknown qualifier sorts above nothing
  std::string mixed;
  for (int i = 0; i < 100000; ++i) mixed += "a1";
  EXPECT_EQ(Cmp(mixed, mixed), 0);
  EXPECT_EQ(Cmp("", ""), 0);
  EXPECT_EQ(Cmp("", "0"), 0);
  EXPECT_EQ(Cmp(std::string(1 << 20, '.'), "0"), 0);
}

// ---- Property test against Maven's own ComparableVersion -----------------------------

const char* MavenArtifactJar() {
  static const char* kJars[] = {"/usr/share/java/maven-artifact-3.x.jar",
                                "/usr/share/maven/lib/maven-artifact-3.x.jar"};
  for (const char* jar : kJars) {
    int code;
    testing::RunShell(std::string("test -f ") + jar, &code);
    if (code == 0) return jar;
  }
  return nullptr;
}

std::string RandomMavenVersion(std::mt19937_64& rng) {
  static const char* kPieces[] = {
      "0",   "1",   "2",     "10",    "01",    "a",    "b",        "m",         "rc",
      "cr",  "ga",  "final", "sp",    "alpha", "beta", "SNAPSHOT", "milestone", "release",
      "xyz", "abc", "RC",    "Final", ".",     "-",    "-",        ".",         "12345678901"};
  std::string v;
  size_t n = 1 + testing::Pick(rng, 7);
  for (size_t i = 0; i < n; ++i) v += kPieces[testing::Pick(rng, std::size(kPieces))];
  return v;
}

TEST(MavenVersion, AgreesWithComparableVersionOnRandomPairs) {
  const char* jar = MavenArtifactJar();
  if (jar == nullptr || !testing::HaveProgram("java")) {
    GTEST_SKIP() << "java or maven-artifact is not installed";
  }
  std::mt19937_64 rng = testing::SeededRng("MavenVersion.AgreesWithComparableVersion");
  // ComparableVersion's main() prints "   A OP B" for each pair of neighbouring
  // arguments, so pairs are passed as a1 b1 a2 b2 ... and every other line is read.
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string command =
      std::string("java -cp ") + jar + " org.apache.maven.artifact.versioning.ComparableVersion";
  while (pairs.size() < 3000) {
    std::string a = RandomMavenVersion(rng);
    std::string b = RandomMavenVersion(rng);
    pairs.emplace_back(a, b);
    command += " '" + a + "' '" + b + "'";
  }
  int code;
  std::string out = testing::RunShell(command + " 2>&1", &code);
  ASSERT_EQ(code, 0) << out.substr(0, 2000);
  std::istringstream lines(out);
  std::string line;
  std::vector<std::string> ops;
  while (std::getline(lines, line)) {
    if (line.rfind("   ", 0) != 0) continue;
    std::istringstream words(line);
    std::string a, op, b;
    words >> a >> op >> b;
    ops.push_back(op);
  }
  ASSERT_EQ(ops.size(), 2 * pairs.size() - 1);
  size_t mismatches = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    const std::string& op = ops[2 * i];
    int want = op == "<" ? -1 : op == "==" ? 0 : 1;
    int got = Cmp(a, b);
    if (got != want && ++mismatches <= 20) {
      ADD_FAILURE() << "ComparableVersion: " << a << " " << op << " " << b << ", bulkhead says "
                    << got;
    }
    EXPECT_EQ(Cmp(b, a), -got) << a << " vs " << b;
  }
  std::printf("[ maven ] %zu pairs compared with ComparableVersion, %zu mismatches\n", pairs.size(),
              mismatches);
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
}  // namespace bulkhead::version
