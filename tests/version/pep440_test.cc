#include "bulkhead/version/pep440.h"

#include <gtest/gtest.h>

#include <string>

namespace bulkhead::version {
namespace {

int Cmp(std::string_view a, std::string_view b) { return ComparePep440(a, b); }

TEST(Pep440, Normalisation) {
  EXPECT_EQ(Cmp("1.0.0", "1"), 0);
  EXPECT_EQ(Cmp("1.0a1", "1.0.0a1"), 0);
  EXPECT_EQ(Cmp("1.0a1", "1.0-ALPHA.1"), 0);
  EXPECT_EQ(Cmp("1.0b2", "1.0beta2"), 0);
  EXPECT_EQ(Cmp("1.0rc1", "1.0c1"), 0);
  EXPECT_EQ(Cmp("1.0rc1", "1.0-pre1"), 0);
  EXPECT_EQ(Cmp("1.0rc1", "1.0preview1"), 0);
  EXPECT_EQ(Cmp("1.0a", "1.0a0"), 0);
  EXPECT_EQ(Cmp("1.0.post1", "1.0-1"), 0);
  EXPECT_EQ(Cmp("1.0.post1", "1.0.rev1"), 0);
  EXPECT_EQ(Cmp("1.0.post1", "1.0r1"), 0);
  EXPECT_EQ(Cmp("1.0.post0", "1.0.post"), 0);
  EXPECT_EQ(Cmp("1.0.dev0", "1.0-dev"), 0);
  EXPECT_EQ(Cmp("v1.0", "1.0"), 0);
  EXPECT_EQ(Cmp("  1.0\n", "1.0"), 0);
  EXPECT_EQ(Cmp("0!1.0", "1.0"), 0);
  EXPECT_EQ(Cmp("1.0+Ubuntu-1", "1.0+ubuntu.1"), 0);
  EXPECT_EQ(Cmp("1.0+local.01", "1.0+local.1"), 0);
}

TEST(Pep440, Order) {
  const char* kOrdered[] = {
      "1.0.dev456",    "1.0a1",         "1.0a2.dev456", "1.0a12.dev456",
      "1.0a12",        "1.0b1.dev456",  "1.0b2",        "1.0b2.post345.dev456",
      "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",       "1.0",
      "1.0+abc.5",     "1.0+abc.7",     "1.0+5",        "1.0.post456.dev34",
      "1.0.post456",   "1.0.15",        "1.1.dev1",     "1!0.1"};
  for (size_t i = 0; i + 1 < std::size(kOrdered); ++i) {
    EXPECT_EQ(Cmp(kOrdered[i], kOrdered[i + 1]), -1) << kOrdered[i] << " < " << kOrdered[i + 1];
    EXPECT_EQ(Cmp(kOrdered[i + 1], kOrdered[i]), 1) << kOrdered[i];
  }
  EXPECT_EQ(Cmp("1!0.1", "2!0.0"), -1);
  EXPECT_EQ(Cmp("1.0+local", "1.0"), 1);
  EXPECT_EQ(Cmp("1.0.0+local.a", "1.0.0+local.1"), -1);  // numbers above strings
  EXPECT_EQ(Cmp("1.0.0+local.0", "1.0.0+local.0.1"), -1);
  EXPECT_EQ(Cmp("1." + std::string(1000, '9'), "1.1" + std::string(1000, '0')), -1);
}

TEST(Pep440, Validity) {
  EXPECT_TRUE(IsValidPep440("1!2.3.4a5.post6.dev7+local.8"));
  EXPECT_TRUE(IsValidPep440("1.0a."));  // a separator without a number is allowed
  EXPECT_TRUE(IsValidPep440("1.0a-1"));
  EXPECT_FALSE(IsValidPep440(""));
  EXPECT_FALSE(IsValidPep440("1.0-foo"));
  EXPECT_FALSE(IsValidPep440("1.0+"));
  EXPECT_FALSE(IsValidPep440("1.0+a..b"));
  EXPECT_FALSE(IsValidPep440("1.0a1b2"));
  EXPECT_FALSE(IsValidPep440("1.0.dev1.post1"));  // post must come before dev
  EXPECT_FALSE(IsValidPep440("!1.0"));
  EXPECT_FALSE(IsValidPep440("1.0."));
  EXPECT_FALSE(IsValidPep440("1.0-1-1"));
}

TEST(Pep440, InvalidSortsFirstThenBytewise) {
  EXPECT_EQ(Cmp("0.9-ivysaur", "0.0.0.dev0"), -1);
  EXPECT_EQ(Cmp("0.1-bulbasaur", "0.1-charmander"), -1);
  EXPECT_EQ(Cmp("foo", "foo"), 0);
  EXPECT_EQ(Cmp("", "0"), -1);
  std::string hostile(1 << 20, '.');
  EXPECT_EQ(Cmp(hostile, hostile), 0);
}

}  // namespace
}  // namespace bulkhead::version
