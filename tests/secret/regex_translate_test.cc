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
