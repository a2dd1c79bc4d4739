#include "bulkhead/version/rpm_version.h"

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

int Cmp(std::string_view a, std::string_view b) { return CompareRpmVersions(a, b); }

TEST(RpmVersion, Epoch) {
  EXPECT_EQ(Cmp("1:1.0-1", "2.0-1"), 1);
  EXPECT_EQ(Cmp("0:1.0-1", "1.0-1"), 0);
  EXPECT_EQ(Cmp(":1.0", "1.0"), 0);  // an empty epoch is 0
  EXPECT_EQ(Cmp("01:2", "1:2"), 0);
  EXPECT_EQ(Cmp("3", "1:2"), -1);
  // Only a leading digit run ending in ':' is an epoch.
  EXPECT_EQ(Cmp("a:1", "b:1"), -1);
  EXPECT_EQ(Cmp("1.m+e2:1", "4.m+e1:1"), -1);
  EXPECT_EQ(Cmp("123456789012345678901234567890:1", "123456789012345678901234567891:0"), -1);
}

TEST(RpmVersion, TildeAndCaret) {
  EXPECT_EQ(Cmp("1.0~rc1", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0~rc1", "1.0~rc2"), -1);
  EXPECT_EQ(Cmp("1.0~rc1~git1", "1.0~rc1"), -1);
  EXPECT_EQ(Cmp("1.0~rc1", "1.0arc1"), -1);
  EXPECT_EQ(Cmp("1.0^", "1.0"), 1);
  EXPECT_EQ(Cmp("1.0^git1", "1.0"), 1);
  EXPECT_EQ(Cmp("1.0^git1", "1.0.1"), -1);  // after the end, before anything else
  EXPECT_EQ(Cmp("1.0^git1", "1.01"), -1);
  EXPECT_EQ(Cmp("1.0^git1~pre", "1.0^git1"), -1);
  EXPECT_EQ(Cmp("1.0~rc1^git1", "1.0~rc1"), 1);
}

TEST(RpmVersion, Segments) {
  EXPECT_EQ(Cmp("1.0", "1_0"), 0);  // separators only separate
  EXPECT_EQ(Cmp("1.", "1"), 0);
  EXPECT_EQ(Cmp("10.0001", "10.1"), 0);
  EXPECT_EQ(Cmp("2.0.1a", "2.0.1"), 1);
  EXPECT_EQ(Cmp("6.0.rc1", "6.0"), 1);
  EXPECT_EQ(Cmp("xyz.4", "8"), -1);                   // letters lose to digits
  EXPECT_EQ(Cmp("1.1.\xce\xb1", "1.1.\xce\xb2"), 0);  // non-ASCII bytes separate
  EXPECT_EQ(Cmp("1.1.\xce\xb1", "1.1.a"), -1);
  std::string big = "1." + std::string(200000, '7');
  EXPECT_EQ(Cmp(big, big + "0"), -1);
  EXPECT_EQ(Cmp("0000000000000000000000000001", "1"), 0);
}

TEST(RpmVersion, Release) {
  EXPECT_EQ(Cmp("1.0-1", "1.0-2"), -1);
  EXPECT_EQ(Cmp("1-1.el7", "1-1.el7_9"), -1);
  EXPECT_EQ(Cmp("0:3.10.0-229.el7", "0:3.10.0-229.1.2.ael7b"), -1);
  // A missing release sorts before any release, as rpm.vercmp does.
  EXPECT_EQ(Cmp("1.0", "1.0-1"), -1);
  EXPECT_EQ(Cmp("1.0", "1.0-"), -1);
  EXPECT_EQ(Cmp("1.0-", "1.0-0"), -1);
  EXPECT_EQ(RpmVerCmp("1.0", "1.0-1"), -1);  // rpmvercmp alone: '-' only separates
}

// ---- Property test against rpm itself ------------------------------------------------

std::string RandomRpmField(std::mt19937_64& rng) {
  static const char* kPieces[] = {"0", "1", "2", "9", "10",  "01",   "007", "12345678901234567890",
                                  "a", "b", "z", "Z", "rc",  "git",  "el",  "~",
                                  "^", ".", "_", "+", "~rc", "^git", "..",  "~~",
                                  "^^"};
  std::string v;
  size_t n = 1 + testing::Pick(rng, 6);
  for (size_t i = 0; i < n; ++i)
    v += kPieces[testing::Pick(rng, sizeof kPieces / sizeof kPieces[0])];
  return v;
}

std::string RandomRpmVersion(std::mt19937_64& rng) {
  std::string v;
  if (testing::Pick(rng, 5) == 0) v += std::to_string(testing::Pick(rng, 3)) + ":";
  v += RandomRpmField(rng);
  if (testing::Pick(rng, 2) == 0) v += "-" + RandomRpmField(rng);
  return v;
}

std::string Mutate(std::string v, std::mt19937_64& rng) {
  switch (testing::Pick(rng, 3)) {
    case 0:
      return v + RandomRpmField(rng);
    case 1:
      v.insert(testing::Pick(rng, v.size() + 1), RandomRpmField(rng));
      return v;
    default:
      v[testing::Pick(rng, v.size())] = "0123456789.~^_ab"[testing::Pick(rng, 16)];
      return v;
  }
}

TEST(RpmVersion, AgreesWithRpmOnRandomPairs) {
  if (!testing::HaveProgram("rpm")) GTEST_SKIP() << "rpm is not installed";
  std::mt19937_64 rng = testing::SeededRng("RpmVersion.AgreesWithRpmOnRandomPairs");
  std::vector<std::pair<std::string, std::string>> pairs;
  while (pairs.size() < 20000) {
    std::string a = RandomRpmVersion(rng);
    std::string b = testing::Pick(rng, 2) == 0 ? RandomRpmVersion(rng) : Mutate(a, rng);
    pairs.emplace_back(a, b);
  }
  // One rpm process runs a Lua loop over every pair (the alphabet has no quote or
  // backslash, so plain Lua string literals hold the versions).
  std::ostringstream lua;
  lua << "local t = {\n";
  for (const auto& [a, b] : pairs) lua << "{\"" << a << "\",\"" << b << "\"},\n";
  lua << "}\nlocal out = {}\n"
      << "for i, p in ipairs(t) do out[i] = tostring(rpm.vercmp(p[1], p[2])) end\n"
      << "print(table.concat(out, \"\\n\"))\n";
  std::string path = testing::WriteTempFile(lua.str());
  int code;
  std::string out = testing::RunShell("rpm --eval \"%{lua: dofile('" + path + "')}\"", &code);
  std::remove(path.c_str());
  ASSERT_EQ(code, 0) << out;
  std::istringstream lines(out);
  std::vector<int> want;
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) want.push_back(std::stoi(line));
  }
  ASSERT_EQ(want.size(), pairs.size());
  size_t mismatches = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    int expected = (want[i] > 0) - (want[i] < 0);
    int got = Cmp(a, b);
    if (got != expected && ++mismatches <= 20) {
      ADD_FAILURE() << "rpm.vercmp(\"" << a << "\", \"" << b << "\") = " << want[i]
                    << ", bulkhead says " << got;
    }
    EXPECT_EQ(Cmp(b, a), -got) << a << " vs " << b;
  }
  std::printf("[ rpm ] %zu pairs compared with rpm.vercmp, %zu mismatches\n", pairs.size(),
              mismatches);
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
}  // namespace bulkhead::version
