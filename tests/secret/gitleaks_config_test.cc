// Parsing of gitleaks-format configurations (the conformance test loads gitleaks' own).
#include "bulkhead/secret/gitleaks_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/engine.h"
#include "tests/secret/secret_test_util.h"
#include "tests/testing/test_util.h"

namespace bulkhead::secret {
namespace {

using testing::Describe;
using testing::Scan;

Result<RuleSet> Parse(std::string_view toml, std::vector<std::string>* warnings = nullptr,
                      GitleaksLoadOptions options = {}) {
  return ParseGitleaksConfig(toml, "test.toml", options, warnings);
}

const Rule* Find(const RuleSet& set, std::string_view id) {
  for (const Rule& r : set.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

TEST(GitleaksConfigTest, RuleFields) {
  auto set = Parse(R"toml(
title = "t"
[[rules]]
id = "my-token"
description = "My service token"
regex = '''(?i)mytok_([a-z0-9]{20})'''
secretGroup = 1
entropy = 3
keywords = ["MyTok_"]
path = '''\.env$'''
severity = "critical"
tags = ["x"]
  [[rules.allowlists]]
  condition = "AND"
  regexTarget = "line"
  regexes = ['''test''']
  paths = ['''^fixtures/''']
  stopwords = ["dummy"]
[[rules]]
id = "pem-ish"
regex = '''BEGIN[\s\S]+END'''
[[rules]]
id = "p12"
path = '''\.p12$'''
)toml");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->rules.size(), 3u);
  const Rule& r = set->rules[0];
  EXPECT_EQ(r.id, "my-token");
  EXPECT_EQ(r.title, "My service token");
  EXPECT_EQ(r.secret_group, 1);
  ASSERT_TRUE(r.min_entropy.has_value());
  EXPECT_EQ(*r.min_entropy, 3.0);
  EXPECT_EQ(r.keywords, std::vector<std::string>{"mytok_"});
  EXPECT_EQ(r.path, R"(\.env$)");
  EXPECT_EQ(r.severity, Severity::kCritical);
  EXPECT_FALSE(r.multiline);
  ASSERT_EQ(r.allowlists.size(), 1u);
  EXPECT_TRUE(r.allowlists[0].require_all);
  EXPECT_EQ(r.allowlists[0].regex_target, RegexTarget::kLine);
  EXPECT_EQ(r.allowlists[0].stop_words, std::vector<std::string>{"dummy"});
  EXPECT_TRUE(set->rules[1].multiline);
  EXPECT_EQ(set->rules[1].severity, Severity::kMedium);  // The default.
  EXPECT_EQ(set->rules[1].title, "pem-ish");
  EXPECT_TRUE(set->rules[2].regex.empty());
  EXPECT_TRUE(Engine::Compile(*set, nullptr).ok());
}

TEST(GitleaksConfigTest, LegacyAndGlobalAllowlists) {
  std::vector<std::string> warnings;
  auto set = Parse(R"toml(
[[rules]]
id = "a"
regex = '''a_[0-9]{8}'''
  [rules.allowlist]
  regexes = ['''a_0+''']
  commits = ["abc"]
[allowlist]
paths = ['''^vendor/''']
)toml",
                   &warnings);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->rules[0].allowlists.size(), 1u);
  ASSERT_EQ(set->allowlists.size(), 1u);
  EXPECT_EQ(set->allowlists[0].paths, std::vector<std::string>{"^vendor/"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("commits"), std::string::npos);
  auto engine = testing::CompileOrFail(*set);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(Scan(*engine, "a_12345678 a_00000000\n").size(), 1u);
  EXPECT_TRUE(Scan(*engine, "a_12345678\n", SIZE_MAX, "vendor/x.go").empty());
}

TEST(GitleaksConfigTest, ExtendDefaultOverridesAndDisables) {
  std::vector<std::string> warnings;
  auto set = Parse(R"toml(
[extend]
useDefault = true
disabledRules = ["jwt"]
[[rules]]
id = "generic-api-key"
description = "Custom generic"
keywords = ["credential"]
  [[rules.allowlists]]
  paths = ['''^docs/''']
[[rules]]
id = "new-only-keywords"
keywords = ["x"]
[[rules]]
id = "internal-token"
regex = '''itk_[a-f0-9]{32}'''
)toml",
                   &warnings);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const size_t builtin = BuiltinRules().rules.size();
  EXPECT_EQ(set->rules.size(), builtin - 1 + 1);  // jwt disabled, internal-token added.
  EXPECT_EQ(Find(*set, "jwt"), nullptr);
  EXPECT_EQ(Find(*set, "new-only-keywords"), nullptr);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("new-only-keywords"), std::string::npos);
  const Rule* g = Find(*set, "generic-api-key");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->title, "Custom generic");
  EXPECT_EQ(g->validator, Validator::kAssignment);  // Regex kept, so the checks too.
  EXPECT_EQ(g->keywords.back(), "credential");
  EXPECT_EQ(g->allowlists.size(), 1u);
  EXPECT_NE(Find(*set, "internal-token"), nullptr);
  EXPECT_TRUE(Engine::Compile(*set, nullptr).ok());
}

TEST(GitleaksConfigTest, ExtendPathAndDepthLimit) {
  ::bulkhead::testing::TempDir dir;
  dir.WriteFile("base2.toml",
                "[[rules]]\nid = \"b2\"\nregex = 'b2_[0-9]+'\n[extend]\npath = \"base3.toml\"\n");
  dir.WriteFile("base1.toml",
                "[extend]\npath = \"base2.toml\"\n[[rules]]\nid = \"b1\"\nregex = 'b1_[0-9]+'\n");
  dir.WriteFile("top.toml",
                "[extend]\npath = \"base1.toml\"\n[[rules]]\nid = \"top\"\nregex = 't_[0-9]+'\n");
  GitleaksLoadOptions options;
  options.extend_base_dir = dir.path();
  std::vector<std::string> warnings;
  auto set = LoadGitleaksConfig(dir.path() + "/top.toml", options, &warnings);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->rules.size(), 3u);  // base3.toml (missing) is beyond the depth limit.
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("depth"), std::string::npos);
  auto missing = LoadGitleaksConfig(dir.path() + "/base1.toml", options, nullptr);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().ToString().find("base3.toml"), std::string::npos);
  EXPECT_EQ(LoadGitleaksConfig(dir.path() + "/nope.toml", options, nullptr).status().code(),
            StatusCode::kNotFound);
}

TEST(GitleaksConfigTest, Errors) {
  struct Bad {
    const char* toml;
    const char* says;
  };
  const Bad cases[] = {
      {"[[rules]\nid = 'x'", "TOML syntax error"},
      {"[[rules]]\nregex = 'x'\n", "has no id"},
      {"[[rules]]\nid = 'x'\n", "both 'regex' and 'path' are empty"},
      {"[[rules]]\nid = 'x'\nregex = 5\n", "'regex' must be a string"},
      {"[[rules]]\nid = 'x'\nregex = 'a'\nkeywords = [1]\n", "'keywords' must hold strings"},
      {"[[rules]]\nid = 'x'\nregex = 'a'\nentropy = 'high'\n", "'entropy' must be a number"},
      {"[[rules]]\nid = 'x'\nregex = 'a'\nseverity = 'severe'\n", "unknown severity"},
      {"[[rules]]\nid = 'x'\nregex = 'a'\n[[rules.allowlists]]\ncondition = 'XOR'\nregexes = "
       "['a']\n",
       "unknown condition"},
      {"[[allowlists]]\ndescription = 'nothing'\n", "the allowlist is empty"},
      {"[[rules]]\nid = 'x'\nregex = 'a'\n[[rules.allowlists]]\ntargetRules = ['x']\nregexes = "
       "['a']\n",
       "only allowed on global"},
      {"[extend]\nurl = 'https://example.com/x.toml'\n", "'url' is not supported"},
  };
  for (const Bad& b : cases) {
    SCOPED_TRACE(b.toml);
    auto set = Parse(b.toml);
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(set.status().ToString().find(b.says), std::string::npos) << set.status().ToString();
    EXPECT_NE(set.status().ToString().find("test.toml"), std::string::npos);
  }
  // Line numbers point at the offending table.
  auto set = Parse("\n\n[[rules]]\nregex = 'x'\n");
  EXPECT_NE(set.status().ToString().find("test.toml:3"), std::string::npos)
      << set.status().ToString();
}

TEST(GitleaksConfigTest, UnsupportedFeaturesWarn) {
  std::vector<std::string> warnings;
  auto set = Parse(R"toml(
[[rules]]
id = "primary"
regex = '''password\s*=\s*"([^"]+)"'''
[[rules.required]]
id = "username-rule"
[[rules]]
id = "username-rule"
regex = '''username\s*=\s*"([^"]+)"'''
skipReport = true
[[rules]]
id = "dup"
regex = 'a'
[[rules]]
id = "dup"
regex = 'b'
)toml",
                   &warnings);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->rules.size(), 2u);  // primary and dup ("b").
  EXPECT_EQ(Find(*set, "dup")->regex, "b");
  EXPECT_EQ(warnings.size(), 3u);
}

TEST(GitleaksConfigTest, LookaroundInAUserRuleIsAClearError) {
  auto set = Parse("[[rules]]\nid = 'no-lookahead'\nregex = '''password(?=\\s*=)'''\n");
  ASSERT_TRUE(set.ok());
  const Status s = Engine::Compile(*set, nullptr).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.ToString().find("rule 'no-lookahead'"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("lookaround"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace bulkhead::secret
