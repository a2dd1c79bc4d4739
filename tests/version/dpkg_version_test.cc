#include "bulkhead/version/dpkg_version.h"

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

int Cmp(std::string_view a, std::string_view b) { return CompareDpkgVersions(a, b); }

TEST(DpkgVersion, Epoch) {
  EXPECT_EQ(Cmp("1:0.1", "9.9"), 1);
  EXPECT_EQ(Cmp("0:1.0", "1.0"), 0);
  EXPECT_EQ(Cmp("00:1.0", "1.0"), 0);
  EXPECT_EQ(Cmp("2:1.0", "10:0.1"), -1);
  EXPECT_EQ(Cmp("99999999999999999999:1", "99999999999999999998:9"), 1);
}

TEST(DpkgVersion, TildeSortsBeforeEverything) {
  EXPECT_EQ(Cmp("1.0~rc1", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0~~", "1.0~"), -1);
  EXPECT_EQ(Cmp("1.0~", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0~~a", "1.0~"), -1);
  EXPECT_EQ(Cmp("1.2.3-1~deb7u1", "1.2.3-1"), -1);
  EXPECT_EQ(Cmp("1.0~rc1", "1.0~rc2"), -1);
}

TEST(DpkgVersion, LettersBeforeOtherSymbols) {
  EXPECT_EQ(Cmp("1.0a", "1.0+"), -1);
  EXPECT_EQ(Cmp("1.0Z", "1.0a"), -1);  // ASCII: upper case first
  EXPECT_EQ(Cmp("1.0", "1.0a"), -1);
  EXPECT_EQ(Cmp("1.0+dfsg", "1.0.1"), -1);  // '+' (43) < '.' (46)
}

TEST(DpkgVersion, Revision) {
  EXPECT_EQ(Cmp("1.0", "1.0-0"), 0);
  EXPECT_EQ(Cmp("1.0-1", "1.0-1ubuntu1"), -1);
  EXPECT_EQ(Cmp("2.7.4+reloaded2-13ubuntu1", "2.7.4+reloaded2-13+deb9u1"), -1);
  EXPECT_EQ(Cmp("1.0-1-2", "1.0-1-10"), -1);  // the revision follows the last '-'
  EXPECT_EQ(Cmp("1.0-1-2", "1.0-2"), 1);      // upstream 1.0-1 > 1.0
}

TEST(DpkgVersion, Numbers) {
  EXPECT_EQ(Cmp("1.01", "1.1"), 0);
  EXPECT_EQ(Cmp("1.9", "1.10"), -1);
  std::string big_a = "1." + std::string(100000, '9');
  std::string big_b = "1.1" + std::string(100000, '0');
  EXPECT_EQ(Cmp(big_a, big_b), -1);
  EXPECT_EQ(Cmp(std::string(50000, '0') + "1", "1"), 0);
}

TEST(DpkgVersion, BlanksAndHostileInput) {
  EXPECT_EQ(Cmp(" 1.0\t", "1.0"), 0);
  EXPECT_EQ(Cmp("", ""), 0);
  EXPECT_EQ(Cmp("", "0"), 0);  // both have an empty or zero upstream
  EXPECT_EQ(Cmp(std::string(1 << 20, '~'), std::string(1 << 20, '~') + "~"), 1);
  std::string junk("\x80\xff\x01:-:-", 7);
  EXPECT_EQ(Cmp(junk, junk), 0);
  // Not an epoch (not all digits): the whole thing is compared as the upstream version.
  EXPECT_EQ(Cmp("a:1", "b:1"), -1);
  EXPECT_EQ(Cmp("1.0:1", "1.0:2"), -1);
}

TEST(DpkgVersion, IsValid) {
  EXPECT_TRUE(IsValidDpkgVersion("1.0"));
  EXPECT_TRUE(IsValidDpkgVersion("1:2.30+dfsg-1~bpo11+1"));
  EXPECT_TRUE(IsValidDpkgVersion("2147483647:1"));
  EXPECT_TRUE(IsValidDpkgVersion("1:1.0:2-3"));  // ':' allowed in upstream with an epoch
  EXPECT_FALSE(IsValidDpkgVersion(""));
  EXPECT_FALSE(IsValidDpkgVersion("2147483648:1"));
  EXPECT_FALSE(IsValidDpkgVersion("a:1.0"));
  EXPECT_FALSE(IsValidDpkgVersion(":1.0"));
  EXPECT_FALSE(IsValidDpkgVersion("1:"));
  EXPECT_FALSE(IsValidDpkgVersion("1.0-"));
  EXPECT_FALSE(IsValidDpkgVersion("a1.0"));
  EXPECT_FALSE(IsValidDpkgVersion("1.0 1"));
  EXPECT_FALSE(IsValidDpkgVersion("1.0-1:2"));
  EXPECT_FALSE(IsValidDpkgVersion("1.0_1"));
}

// ---- Property test against dpkg itself ----------------------------------------------

std::string RandomDpkgPiece(std::mt19937_64& rng) {
  static const char* kPieces[] = {"0", "1", "2",   "9",  "10",   "01", "00",     "123", "a",
                                  "b", "z", "Z",   "A",  "rc",   "~",  "~~",     ".",   "+",
                                  "-", ":", "~rc", "+b", "dfsg", ".0", "ubuntu", "deb"};
  return kPieces[testing::Pick(rng, sizeof kPieces / sizeof kPieces[0])];
}

std::string RandomDpkgVersion(std::mt19937_64& rng) {
  std::string v;
  if (testing::Pick(rng, 4) == 0) v += std::to_string(testing::Pick(rng, 3)) + ":";
  v += std::to_string(testing::Pick(rng, 12));
  size_t pieces = testing::Pick(rng, 7);
  for (size_t i = 0; i < pieces; ++i) v += RandomDpkgPiece(rng);
  if (testing::Pick(rng, 2) == 0) v += "-" + std::to_string(testing::Pick(rng, 4));
  return v;
}

std::string Mutate(std::string v, std::mt19937_64& rng) {
  switch (testing::Pick(rng, 4)) {
    case 0:
      return v + RandomDpkgPiece(rng);
    case 1:
      if (v.size() > 1) v.erase(v.size() - 1);
      return v;
    case 2:
      v.insert(testing::Pick(rng, v.size() + 1), RandomDpkgPiece(rng));
      return v;
    default:
      v[testing::Pick(rng, v.size())] = "0123456789.~+-:ab"[testing::Pick(rng, 17)];
      return v;
  }
}

std::vector<std::pair<std::string, std::string>> RandomPairs(size_t n, std::mt19937_64& rng) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (pairs.size() < n) {
    std::string a = RandomDpkgVersion(rng);
    std::string b = testing::Pick(rng, 2) == 0 ? RandomDpkgVersion(rng) : Mutate(a, rng);
    pairs.emplace_back(a, b);
  }
  return pairs;
}

// Asks `dpkg --compare-versions` for the order of each pair from one shell loop (one
// fork per dpkg call, none per pair for the shell). Prints <, = or >, or E when dpkg
// rejects a version.
std::vector<char> DpkgOrder(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::ostringstream input;
  for (const auto& [a, b] : pairs) input << a << ' ' << b << '\n';
  std::string path = testing::WriteTempFile(input.str());
  std::string script =
      "while read -r a b; do "
      "dpkg --compare-versions \"$a\" lt \"$b\" 2>/dev/null; r=$?; "
      "if [ $r = 0 ]; then echo '<'; elif [ $r != 1 ]; then echo E; else "
      "dpkg --compare-versions \"$a\" eq \"$b\" 2>/dev/null; r=$?; "
      "if [ $r = 0 ]; then echo '='; elif [ $r = 1 ]; then echo '>'; else echo E; fi; fi; "
      "done < " +
      path;
  int code;
  std::string out = testing::RunShell(script, &code);
  std::remove(path.c_str());
  std::vector<char> result;
  for (char c : out) {
    if (c != '\n') result.push_back(c);
  }
  return result;
}

TEST(DpkgVersion, AgreesWithDpkgOnRandomPairs) {
  if (!testing::HaveProgram("dpkg")) GTEST_SKIP() << "dpkg is not installed";
  std::mt19937_64 rng = testing::SeededRng("DpkgVersion.AgreesWithDpkgOnRandomPairs");
  auto pairs = RandomPairs(2000, rng);
  std::vector<char> want = DpkgOrder(pairs);
  ASSERT_EQ(want.size(), pairs.size());
  size_t compared = 0;
  size_t rejected = 0;
  size_t mismatches = 0;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& [a, b] = pairs[i];
    if (want[i] == 'E') {
      ++rejected;
      continue;
    }
    ++compared;
    int expected = want[i] == '<' ? -1 : want[i] == '=' ? 0 : 1;
    int got = Cmp(a, b);
    if (got != expected && ++mismatches <= 20) {
      ADD_FAILURE() << "dpkg says '" << a << "' " << want[i] << " '" << b << "', bulkhead says "
                    << got;
    }
    EXPECT_EQ(Cmp(b, a), -got) << a << " vs " << b;
  }
  std::printf("[ dpkg ] %zu pairs compared with dpkg, %zu rejected by dpkg, %zu mismatches\n",
              compared, rejected, mismatches);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(compared, pairs.size() / 2);
}

}  // namespace
}  // namespace bulkhead::version
