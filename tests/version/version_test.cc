#include "bulkhead/version/version.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/version/test_support.h"

namespace bulkhead::version {
namespace {

TEST(Scheme, NamesRoundTrip) {
  for (Scheme s : kAllSchemes) {
    Result<Scheme> parsed = ParseScheme(SchemeName(s));
    ASSERT_TRUE(parsed.ok()) << SchemeName(s);
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(SchemeName(Scheme::kPep440), "pep440");
}

TEST(Scheme, EcosystemAliases) {
  EXPECT_EQ(*ParseScheme("Debian"), Scheme::kDpkg);
  EXPECT_EQ(*ParseScheme("Alpine"), Scheme::kApk);
  EXPECT_EQ(*ParseScheme("Red Hat"), Scheme::kRpm);
  EXPECT_EQ(*ParseScheme("AlmaLinux"), Scheme::kRpm);
  EXPECT_EQ(*ParseScheme("npm"), Scheme::kSemver);
  EXPECT_EQ(*ParseScheme("Go"), Scheme::kSemver);
  EXPECT_EQ(*ParseScheme("crates.io"), Scheme::kSemver);
  EXPECT_EQ(*ParseScheme("NuGet"), Scheme::kNuGet);
  EXPECT_EQ(*ParseScheme("PyPI"), Scheme::kPep440);
  EXPECT_EQ(*ParseScheme("Maven"), Scheme::kMaven);
  EXPECT_EQ(*ParseScheme("RubyGems"), Scheme::kGem);
}

TEST(Scheme, UnknownNameIsInvalidArgument) {
  Result<Scheme> r = ParseScheme("cobol");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("cobol"), std::string_view::npos);
  EXPECT_FALSE(ParseScheme("").ok());
}

TEST(Compare, Dispatches) {
  EXPECT_EQ(Compare(Scheme::kDpkg, "1.0~rc1", "1.0"), -1);
  EXPECT_EQ(Compare(Scheme::kApk, "1.0_rc1", "1.0"), -1);
  EXPECT_EQ(Compare(Scheme::kRpm, "1.0^git1", "1.0"), 1);
  EXPECT_EQ(Compare(Scheme::kSemver, "1.0.0-rc.1", "1.0.0"), -1);
  EXPECT_EQ(Compare(Scheme::kNuGet, "1.0", "1.0.0.0"), 0);
  EXPECT_EQ(Compare(Scheme::kPep440, "1.0", "1.0.0"), 0);
  EXPECT_EQ(Compare(Scheme::kMaven, "1.0-SNAPSHOT", "1.0"), -1);
  EXPECT_EQ(Compare(Scheme::kGem, "1.0.a", "1.0"), -1);
  EXPECT_TRUE(IsValid(Scheme::kMaven, "anything at all"));
  EXPECT_FALSE(IsValid(Scheme::kRpm, ""));
  EXPECT_FALSE(IsValid(Scheme::kPep440, "1.0-foo"));
}

// Every scheme is a total order on arbitrary bytes: reflexive, antisymmetric and
// transitive, with results in {-1, 0, 1}. Inputs are short strings over an alphabet
// that hits every scheme's special characters, so that collisions are frequent.
// Maven is the exception for transitivity: ComparableVersion itself is not transitive
// when a qualifier meets a nested list (1.xyz.2 > 1 > 1-beta yet 1.xyz.2 < 1-beta, as
// maven-artifact 3.8.7 says too), and bulkhead reproduces Maven (maven_version.h).
std::string RandomString(std::mt19937_64& rng) {
  static constexpr char kAlphabet[] = "0123456789.-+~^_:!vVaAbBrRcpPtz\x80\xff ";
  size_t n = testing::Pick(rng, 9);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kAlphabet[testing::Pick(rng, sizeof kAlphabet - 1)];
  return s;
}

TEST(Compare, TotalOrderOnRandomBytes) {
  std::mt19937_64 rng = testing::SeededRng("Compare.TotalOrderOnRandomBytes");
  for (Scheme scheme : kAllSchemes) {
    std::vector<std::string> pool;
    for (int i = 0; i < 300; ++i) pool.push_back(RandomString(rng));
    for (const std::string& a : pool) {
      ASSERT_EQ(Compare(scheme, a, a), 0) << SchemeName(scheme) << " '" << a << "'";
    }
    // All triples of a sample: antisymmetry and transitivity.
    size_t failures = 0;
    for (size_t i = 0; i < 40 && failures < 5; ++i) {
      for (size_t j = 0; j < 40 && failures < 5; ++j) {
        const std::string& a = pool[i];
        const std::string& b = pool[j];
        int ab = Compare(scheme, a, b);
        if (ab != -Compare(scheme, b, a) || ab < -1 || ab > 1) {
          ++failures;
          ADD_FAILURE() << SchemeName(scheme) << " not antisymmetric: '" << a << "' '" << b << "'";
        }
        for (size_t k = 0; k < 40 && scheme != Scheme::kMaven; ++k) {
          const std::string& c = pool[k];
          int bc = Compare(scheme, b, c);
          int ac = Compare(scheme, a, c);
          bool ok = true;
          if (ab <= 0 && bc <= 0 && ac > 0) ok = false;
          if (ab >= 0 && bc >= 0 && ac < 0) ok = false;
          if (ab == 0 && bc == 0 && ac != 0) ok = false;
          if (!ok && ++failures <= 5) {
            ADD_FAILURE() << SchemeName(scheme) << " not transitive: '" << a << "' " << ab << " '"
                          << b << "' " << bc << " '" << c << "' but a vs c " << ac;
          }
        }
      }
    }
  }
  // The documented Maven counterexample, so that a change in either direction shows.
  const std::string x = "1.xyz.2";
  const std::string y = "1";
  const std::string z = "1-beta";
  EXPECT_EQ(Compare(Scheme::kMaven, x, y), 1);
  EXPECT_EQ(Compare(Scheme::kMaven, y, z), 1);
  EXPECT_EQ(Compare(Scheme::kMaven, x, z), -1);
}

TEST(Compare, HostileLongInputs) {
  const std::string digits(1 << 20, '9');
  const std::string digits_plus = "1" + std::string(1 << 20, '0');
  for (Scheme scheme : kAllSchemes) {
    EXPECT_EQ(Compare(scheme, digits, digits_plus), -1) << SchemeName(scheme);
    EXPECT_EQ(Compare(scheme, digits_plus, digits), 1) << SchemeName(scheme);
    std::string seps(1 << 20, '.');
    EXPECT_EQ(Compare(scheme, seps, seps), 0) << SchemeName(scheme);
    std::string mixed;
    for (int i = 0; i < 100000; ++i) mixed += "1a-~^_.";
    EXPECT_EQ(Compare(scheme, mixed, mixed), 0) << SchemeName(scheme);
  }
}

TEST(Compare, NoAllocationsForOsPackageSchemes) {
  // Long enough that no small-string buffer could hide an allocation.
  const std::string a = "1:2.30.1+dfsg-1~bpo11+1.el8_4.x86_64_rc1-r12345678901234567890";
  const std::string b = "1:2.30.1+dfsg-1~bpo11+1.el8_4.x86_64_rc1-r12345678901234567891";
  const Scheme kNoAlloc[] = {Scheme::kDpkg,  Scheme::kApk,    Scheme::kRpm, Scheme::kSemver,
                             Scheme::kNuGet, Scheme::kPep440, Scheme::kGem};
  for (Scheme scheme : kNoAlloc) {
    size_t before = testing::AllocationCount();
    int sum = 0;
    for (int i = 0; i < 1000; ++i) sum += Compare(scheme, a, b) + Compare(scheme, b, a);
    sum += Compare(scheme, "1.0.0-rc.1+build", "1.0.0") + Compare(scheme, "1.0a1", "1!1.0");
    size_t after = testing::AllocationCount();
    EXPECT_EQ(after - before, 0u) << SchemeName(scheme) << " allocated";
    EXPECT_NE(sum, 12345);  // keeps the loop
  }
  // The counter itself works: Maven's comparison does allocate.
  size_t before = testing::AllocationCount();
  EXPECT_NE(Compare(Scheme::kMaven, a, b), 0);
  EXPECT_GT(testing::AllocationCount(), before);
}

}  // namespace
}  // namespace bulkhead::version
