#include "bulkhead/secret/internal/regex_translate.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include "bulkhead/secret/rule.h"

namespace bulkhead::secret::internal {
namespace {

TEST(RegexTranslateTest, GoToRe2) {
  EXPECT_EQ(*GoToRe2(R"(a(?<name>b)c)"), R"(a(?P<name>b)c)");
  EXPECT_EQ(*GoToRe2(R"(a(?P<name>b)c)"), R"(a(?P<name>b)c)");
  EXPECT_EQ(*GoToRe2(R"([(?<x>])"), R"([(?<x>])");  // Inside a class: literal.
  EXPECT_EQ(*GoToRe2(R"(\(?<x>)"), R"(\(?<x>)");    // Escaped paren.
  for (const char* bad : {"a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b"}) {
    auto r = GoToRe2(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message().find("lookaround"), std::string_view::npos);
  }
  EXPECT_NE(GoToRe2(R"((a)\1)").error().message().find("back-reference"), std::string_view::npos);
  EXPECT_TRUE(GoToRe2(R"([\1])").ok());  // In a class RE2 itself decides.
}

TEST(RegexTranslateTest, GoToHyperscan) {
  std::string why;
  auto p = GoToHyperscan(R"((?i)key(?P<v>[a-z]{4})\z)", &why);
  ASSERT_TRUE(p.has_value()) << why;
  EXPECT_EQ(p->expression, R"(key([a-z]{4})$)");
  EXPECT_EQ(p->flags, static_cast<unsigned>(HS_FLAG_CASELESS | HS_FLAG_MULTILINE));
  p = GoToHyperscan(R"(\Atoken(?<x>\d+))", &why);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->expression, R"(^token(\d+))");
  EXPECT_EQ(p->flags, static_cast<unsigned>(HS_FLAG_MULTILINE));
  EXPECT_EQ(GoToHyperscan(R"([\z])", &why)->expression, R"([\z])");
  EXPECT_FALSE(GoToHyperscan(R"(\p{Greek}+)", &why).has_value());
  EXPECT_NE(why.find("Unicode"), std::string::npos);
  EXPECT_FALSE(GoToHyperscan("cl\xc3\xa9=(\\w+)", &why).has_value());
  EXPECT_NE(why.find("non-ASCII"), std::string::npos);
  EXPECT_FALSE(GoToHyperscan(R"(\Qa.b\E)", &why).has_value());
}

// Classes that hold every byte but one, and dots, lose NUL: vectorscan 5.4.9 misses
// matches of X{n,}c when X is every byte but c.
TEST(RegexTranslateTest, WideRepeatsLoseTheirUpperBoundForVectorscanOnly) {
  std::string why;
  auto hs = [&](const char* go) { return GoToHyperscan(go, &why)->expression; };
  EXPECT_EQ(hs("a{1,256}b"), "a{1,}b");
  EXPECT_EQ(hs("a{0,64}?b"), "a{0,}?b");
  EXPECT_EQ(hs("a{2,63}b"), "a{2,63}b");            // small bounds cost little: kept
  EXPECT_EQ(hs("a{100}b"), "a{100}b");              // an exact count is not a range
  EXPECT_EQ(hs("a{100,}b"), "a{100,}b");            // already open
  EXPECT_EQ(hs(R"(a\{1,256}b)"), R"(a\{1,256}b)");  // escaped: literal braces
  EXPECT_EQ(hs("a{1,256b"), "a{1,256b");            // not a repeat
  EXPECT_EQ(hs("a{300,256}b"), "a{300,256}b");      // invalid: left for vectorscan to refuse
  // RE2 keeps the real bound.
  EXPECT_EQ(*GoToRe2("a{1,256}b"), "a{1,256}b");
}

TEST(RegexTranslateTest, HyperscanClassesExcludeNul) {
  std::string why;
  EXPECT_EQ(GoToHyperscan(R"re("([^"]{40,})")re", &why)->expression, R"re("([^\x00"]{40,})")re");
  EXPECT_EQ(GoToHyperscan(R"([^\x60]+)", &why)->expression, R"([^\x00\x60]+)");
  EXPECT_EQ(GoToHyperscan(R"([^-]+)", &why)->expression, R"([^\x00-]+)");
  // Two or more excluded bytes are not affected, and stay as written.
  EXPECT_EQ(GoToHyperscan(R"([^0-9A-Za-z_-])", &why)->expression, R"([^0-9A-Za-z_-])");
  EXPECT_EQ(GoToHyperscan(R"(a.b)", &why)->expression, R"(a[^\n\x00]b)");
  EXPECT_EQ(GoToHyperscan(R"((?s)a.b)", &why)->expression, R"((?s)a[^\x00]b)");
  EXPECT_EQ(GoToHyperscan(R"(B[\s\S-]{64,}?E)", &why)->expression, R"(B[^\x00]{64,}?E)");
  EXPECT_EQ(GoToHyperscan(R"(x[^]]z)", &why)->expression, R"(x[^\x00]]z)");
  EXPECT_EQ(GoToHyperscan(R"([a.b])", &why)->expression, R"([a.b])");
  EXPECT_EQ(GoToHyperscan(R"([[:alpha:]]+)", &why)->expression, R"([[:alpha:]]+)");
}

TEST(RegexTranslateTest, ByteOrientedAndMultiline) {
  EXPECT_TRUE(IsByteOriented(R"(abc[0-9]+)"));
  EXPECT_FALSE(IsByteOriented(R"(\pL+)"));
  EXPECT_FALSE(IsByteOriented(R"([\p{Greek}x])"));
  EXPECT_FALSE(IsByteOriented("\xc3\xa9"));
  EXPECT_TRUE(IsByteOriented(R"(\\p)"));  // An escaped backslash, then 'p'.

  EXPECT_TRUE(RegexMayCrossLines(R"(a\nb)"));
  EXPECT_TRUE(RegexMayCrossLines(R"(BEGIN[\s\S]{64,}?END)"));
  EXPECT_TRUE(RegexMayCrossLines(R"((?s)a.*b)"));
  EXPECT_TRUE(RegexMayCrossLines(R"((?is:a.*b))"));
  EXPECT_TRUE(RegexMayCrossLines(R"(a[\w\W]b)"));
  EXPECT_FALSE(RegexMayCrossLines(R"(a[^\r\n]+b)"));
  EXPECT_FALSE(RegexMayCrossLines(R"((?i)a\s*=\s*b)"));
  EXPECT_FALSE(RegexMayCrossLines(R"((?-s)a.b)"));
  EXPECT_FALSE(RegexMayCrossLines(R"(a[\s]b[\S])"));
}

}  // namespace
}  // namespace bulkhead::secret::internal
