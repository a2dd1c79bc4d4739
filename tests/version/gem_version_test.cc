#include "bulkhead/version/gem_version.h"

#include <gtest/gtest.h>

#include <string>

namespace bulkhead::version {
namespace {

int Cmp(std::string_view a, std::string_view b) { return CompareGemVersions(a, b); }

TEST(GemVersion, Order) {
  EXPECT_EQ(Cmp("1.0.a", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0.a", "1.0.b1"), -1);
  EXPECT_EQ(Cmp("1.0.b1", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0", "1.0.1"), -1);
  EXPECT_EQ(Cmp("3.2", "3.10"), -1);
  EXPECT_EQ(Cmp("1.0.a10", "1.0.a9"), 1);
  EXPECT_EQ(Cmp("1.0.a2", "1.0.a.2"), 0);
  EXPECT_EQ(Cmp("1.0.0", "1"), 0);
  EXPECT_EQ(Cmp("1.0.a", "1.a"), 0);  // trailing zeros of the release part go
  EXPECT_EQ(Cmp("1.0.0.a", "1.a.0"), 0);
  EXPECT_EQ(Cmp("1.0.a.0.b", "1.a.b"), 1);          // zeros after a letter stay
  EXPECT_EQ(Cmp("1.0.0-rc1", "1.0.0.pre.rc1"), 0);  // '-' means ".pre."
  EXPECT_EQ(Cmp("1.0.0-rc1", "1.0.0"), -1);
  EXPECT_EQ(Cmp("1.A", "1.a"), -1);  // letters compare bytewise
}

TEST(GemVersion, LenientAndHostileInput) {
  EXPECT_EQ(Cmp("1beta", "1"), -1);
  EXPECT_EQ(Cmp("2beta", "1.0"), 1);
  EXPECT_EQ(Cmp("", "0"), 0);
  EXPECT_EQ(Cmp("999999999999999999999999999991", "999999999999999999999999999999"), -1);
  std::string zeros;
  for (int i = 0; i < 100000; ++i) zeros += "0.";
  EXPECT_EQ(Cmp("1." + zeros + "a", "1.a"), 0);
  EXPECT_EQ(Cmp("1." + zeros + "1", "1.0.1"), -1);  // zeros before a number stay
}

TEST(GemVersion, IsValid) {
  EXPECT_TRUE(IsValidGemVersion("1.2.3"));
  EXPECT_TRUE(IsValidGemVersion("1.2.3.pre1"));
  EXPECT_TRUE(IsValidGemVersion("1.0.0-rc1.x-y"));
  EXPECT_TRUE(IsValidGemVersion(" 1.0 "));
  EXPECT_TRUE(IsValidGemVersion(""));
  EXPECT_FALSE(IsValidGemVersion("1beta"));
  EXPECT_FALSE(IsValidGemVersion("1..2"));
  EXPECT_FALSE(IsValidGemVersion("a.1"));
  EXPECT_FALSE(IsValidGemVersion("1.0-"));
  EXPECT_FALSE(IsValidGemVersion("1.0_1"));
}

}  // namespace
}  // namespace bulkhead::version
