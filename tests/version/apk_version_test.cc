#include "bulkhead/version/apk_version.h"

#include <gtest/gtest.h>

#include <string>

namespace bulkhead::version {
namespace {

int Cmp(std::string_view a, std::string_view b) { return CompareApkVersions(a, b); }

TEST(ApkVersion, Numbers) {
  EXPECT_EQ(Cmp("1.2.3", "1.2.10"), -1);
  EXPECT_EQ(Cmp("1.10", "1.9"), 1);
  EXPECT_EQ(Cmp("01", "1"), 0);       // the first number is always numeric
  EXPECT_EQ(Cmp("1.02", "1.1"), -1);  // later ones with a leading 0 compare as strings
  EXPECT_EQ(Cmp("1.020", "1.02"), 1);
  EXPECT_EQ(Cmp("1.0", "1.00"), -1);
  EXPECT_EQ(Cmp("1.2", "1.2.0"), -1);  // more numbers is bigger
  std::string big = "1." + std::string(100000, '9');
  EXPECT_EQ(Cmp(big, "1.1" + std::string(100000, '0')), -1);
}

TEST(ApkVersion, Suffixes) {
  EXPECT_EQ(Cmp("1.0_alpha", "1.0_beta"), -1);
  EXPECT_EQ(Cmp("1.0_beta", "1.0_pre"), -1);
  EXPECT_EQ(Cmp("1.0_pre", "1.0_rc"), -1);
  EXPECT_EQ(Cmp("1.0_rc", "1.0"), -1);
  EXPECT_EQ(Cmp("1.0", "1.0_cvs"), -1);
  EXPECT_EQ(Cmp("1.0_cvs", "1.0_svn"), -1);
  EXPECT_EQ(Cmp("1.0_svn", "1.0_git"), -1);
  EXPECT_EQ(Cmp("1.0_git", "1.0_hg"), -1);
  EXPECT_EQ(Cmp("1.0_hg", "1.0_p"), -1);
  EXPECT_EQ(Cmp("1.0_p", "1.0_p1"), -1);  // the number after a suffix: missing < 1
  EXPECT_EQ(Cmp("1.0_rc", "1.0_rc0"), -1);
  EXPECT_EQ(Cmp("1.0_alpha2", "1.0_alpha10"), -1);
  EXPECT_EQ(Cmp("0.1.0_alpha_pre2", "0.1.0_alpha"), -1);
  EXPECT_EQ(Cmp("1.0_p1", "1.0a"), -1);
}

TEST(ApkVersion, LetterHashAndRevision) {
  EXPECT_EQ(Cmp("1.0a", "1.0b"), -1);
  EXPECT_EQ(Cmp("1.0z", "1.0.1"), -1);
  EXPECT_EQ(Cmp("1.0-r1", "1.0-r2"), -1);
  EXPECT_EQ(Cmp("1.0-r10", "1.0-r9"), 1);
  EXPECT_EQ(Cmp("1.0-r1", "1.0-r01"), 0);
  EXPECT_EQ(Cmp("1.0", "1.0-r0"), -1);
  EXPECT_EQ(Cmp("1.0_rc1-r5", "1.0-r0"), -1);
  EXPECT_EQ(Cmp("1.0~abc-r1", "1.0~abd-r0"), -1);
  EXPECT_EQ(Cmp("1.0~abc", "1.0-r0"), 1);
  EXPECT_EQ(Cmp("1.0", "1.0~abc"), -1);
}

TEST(ApkVersion, InvalidInput) {
  EXPECT_EQ(Cmp("1.2_blah", "1.2"), -1);     // invalid below a valid end
  EXPECT_EQ(Cmp("1.2_blah", "1.2_rc1"), 1);  // but above a pre-release suffix
  EXPECT_EQ(Cmp("1-ruff", "1"), -1);
  EXPECT_EQ(Cmp("1.2.0A", "1.2.0d"), -1);
  EXPECT_EQ(Cmp("0..1..0", "0..1..1"), -1);  // same invalid prefix: the tails decide
  EXPECT_EQ(Cmp("a", "b"), -1);
  EXPECT_EQ(Cmp("", ""), 0);
  EXPECT_EQ(Cmp("", "1"), -1);
  std::string junk(1 << 20, '.');
  EXPECT_EQ(Cmp(junk, junk), 0);
  EXPECT_EQ(Cmp(junk, junk + "."), -1);
}

TEST(ApkVersion, IsValid) {
  EXPECT_TRUE(IsValidApkVersion("1"));
  EXPECT_TRUE(IsValidApkVersion("1.2.3_rc1-r0"));
  EXPECT_TRUE(IsValidApkVersion("2.4a_p20230101_git3~0ab1-r12"));
  EXPECT_TRUE(IsValidApkVersion("1.0_alpha_pre2"));
  EXPECT_FALSE(IsValidApkVersion(""));
  EXPECT_FALSE(IsValidApkVersion("a1"));
  EXPECT_FALSE(IsValidApkVersion("1.0-1"));
  EXPECT_FALSE(IsValidApkVersion("1.0-r"));
  EXPECT_FALSE(IsValidApkVersion("1.0_blah"));
  EXPECT_FALSE(IsValidApkVersion("1.0ab"));
  EXPECT_FALSE(IsValidApkVersion("1.0a1"));
  EXPECT_FALSE(IsValidApkVersion("1.0-r1_p1"));
  EXPECT_FALSE(IsValidApkVersion("1..0"));
  EXPECT_FALSE(IsValidApkVersion("1.0~"));
}

}  // namespace
}  // namespace bulkhead::version
