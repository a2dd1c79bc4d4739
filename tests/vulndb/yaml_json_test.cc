#include "bulkhead/vulndb/internal/yaml_json.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "bulkhead/core/file.h"
#include "tests/testing/test_util.h"

namespace bulkhead::vulndb::internal {
namespace {

std::string Json(std::string_view yaml) {
  Result<std::string> r = YamlToJson(yaml, "t.yaml");
  return r.ok() ? *r : "ERROR: " + r.error().ToString();
}

TEST(YamlToJson, ScalarsStayStrings) {
  // "1.10" must not become the number 1.1; booleans and dates stay text too.
  EXPECT_EQ(Json("a: 1.10\nb: true\nc: 2024-01-01\nd: '007'\n"),
            R"({"a":"1.10","b":"true","c":"2024-01-01","d":"007"})");
}

TEST(YamlToJson, OnlyPlainNullsAreNull) {
  EXPECT_EQ(Json("a: ~\nb: null\nc:\nd: 'null'\ne: \"~\"\nf: NULL\n"),
            R"({"a":null,"b":null,"c":null,"d":"null","e":"~","f":null})");
  EXPECT_EQ(Json(""), "null");
  EXPECT_EQ(Json("---\n"), "null");
}

TEST(YamlToJson, BlockAndFlowCollectionsNest) {
  EXPECT_EQ(
      Json("affected:\n- package: {name: x, ecosystem: PyPI}\n  versions: [1.0, '2.0']\n"
           "- {}\n"),
      R"({"affected":[{"package":{"name":"x","ecosystem":"PyPI"},"versions":["1.0","2.0"]},{}]})");
}

TEST(YamlToJson, EscapesAndBlockScalars) {
  EXPECT_EQ(Json("a: \"tab\\there \\\"q\\\" \\u00e9 \\_\"\nb: |\n  line1\n  line2\n"),
            "{\"a\":\"tab\\there \\\"q\\\" \xc3\xa9 \xc2\xa0\",\"b\":\"line1\\nline2\\n\"}");
  EXPECT_EQ(Json("a: \"\\x01\"\n"), R"({"a":"\u0001"})");
}

TEST(YamlToJson, AliasesReplayTheirAnchor) {
  EXPECT_EQ(
      Json("base: &b {x: 1, y: [a, b]}\ncopy: *b\nname: &n v\nagain: *n\n"),
      R"({"base":{"x":"1","y":["a","b"]},"copy":{"x":"1","y":["a","b"]},"name":"v","again":"v"})");
  EXPECT_NE(Json("a: *nowhere\n").find("unknown alias"), std::string::npos);
}

TEST(YamlToJson, OnlyTheFirstDocumentCounts) {
  EXPECT_EQ(Json("a: 1\n---\nb: 2\n"), R"({"a":"1"})");
}

TEST(YamlToJson, HostileInputFailsWithAMessage) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? "," : "") + "*" + char(c - 1);
    bomb += "]\n";
  }
  EXPECT_NE(Json(bomb).find("alias bomb"), std::string::npos) << Json(bomb);
  // Few nodes, many bytes: a 1 MiB scalar replayed 200 times.
  std::string wide = "a: &a '" + std::string(1 << 20, 'x') + "'\nb: [";
  for (int i = 0; i < 200; ++i) wide += i ? ",*a" : "*a";
  wide += "]\n";
  EXPECT_NE(Json(wide).find("expands past"), std::string::npos) << Json(wide).substr(0, 200);
  EXPECT_NE(Json(std::string(100, '[') + std::string(100, ']')).find("deeper than 64"),
            std::string::npos);
  EXPECT_NE(Json("? [a, b]\n: c\n").find("not a scalar"), std::string::npos);
  EXPECT_NE(Json("~: c\n").find("key is null"), std::string::npos);
  const std::string bad = Json("a: \"\xff\xfe\"\n");
  EXPECT_NE(bad.find("t.yaml"), std::string::npos) << bad;
  EXPECT_NE(bad.find("invalid YAML"), std::string::npos) << bad;
  EXPECT_NE(Json("a: [unclosed\n").find("invalid YAML at line"), std::string::npos);
  EXPECT_NE(Json("a: b\n  c: d\n").find("ERROR"), std::string::npos);
}

// The hand-written reader must accept `yaml` and convert it exactly as libyaml does.
void ExpectBlockAgrees(std::string_view yaml, std::string_view json) {
  std::optional<std::string> fast = BlockYamlToJson(yaml);
  Result<std::string> slow = LibyamlToJson(yaml, "t.yaml");
  ASSERT_TRUE(fast.has_value()) << "left to libyaml: " << yaml;
  ASSERT_TRUE(slow.ok()) << slow.error().ToString();
  EXPECT_EQ(*fast, *slow) << yaml;
  EXPECT_EQ(*fast, json) << yaml;
}

TEST(BlockYaml, ReadsWhatPyYamlWrites) {
  ExpectBlockAgrees("id: PYSEC-1\naliases:\n- CVE-1\n- GHSA-x\nwithdrawn:\nn: ~\n",
                    R"({"id":"PYSEC-1","aliases":["CVE-1","GHSA-x"],"withdrawn":null,"n":null})");
  ExpectBlockAgrees(
      "affected:\n- package:\n    ecosystem: PyPI\n    name: x\n  ranges:\n  - type: "
      "ECOSYSTEM\n    events:\n    - introduced: \"0\"\n    - fixed: 1.10\n  versions:\n  "
      "- '1.0'\n",
      R"({"affected":[{"package":{"ecosystem":"PyPI","name":"x"},"ranges":[{"type":"ECOSYSTEM",)"
      R"("events":[{"introduced":"0"},{"fixed":"1.10"}]}],"versions":["1.0"]}]})");
  // Nested sequences, entries below their dash, comments and blank lines between nodes.
  ExpectBlockAgrees("a:\n- - x\n  - y\n-\n  k: v\n# note\n\n-\nb: 1\n",
                    R"({"a":[["x","y"],{"k":"v"},null],"b":"1"})");
}

TEST(BlockYaml, FoldsScalarsOverLines) {
  // Plain: one break is a space, an empty line a line feed, spaces at the ends go.
  ExpectBlockAgrees("details: first line  \n  second \"q\" - it\n\n  third\nnext: x\n",
                    R"({"details":"first line second \"q\" - it\nthird","next":"x"})");
  ExpectBlockAgrees("k:\n  on its own\n  line\n", R"({"k":"on its own line"})");
  // Single quotes: '' is a quote; folding as for plain scalars.
  ExpectBlockAgrees("d: 'it''s  \n  folded\n\n\n  twice'\n", R"({"d":"it's folded\n\ntwice"})");
  // Double quotes: escapes, an escaped break joins, escaped spaces are kept.
  ExpectBlockAgrees("d: \"a\\tb \\u00e9\\x41\\\n  c\\ \n  d\\0\"\n",
                    "{\"d\":\"a\\tb \xc3\xa9"
                    "Ac  d\\u0000\"}");
  ExpectBlockAgrees("d: \"x\\\n\n  y\"\n", R"({"d":"x\ny"})");
  // Literal blocks with each chomping.
  ExpectBlockAgrees("a: |\n  l1\n\n    l2\nb: |-\n  s\n\nc: |+\n  k\n\n\nd: x\n",
                    R"({"a":"l1\n\n  l2\n","b":"s","c":"k\n\n\n","d":"x"})");
  ExpectBlockAgrees("a: |\n\n  after a blank\n", R"({"a":"\nafter a blank\n"})");
}

TEST(BlockYaml, LeavesEverythingElseToLibyaml) {
  for (std::string_view yaml : {
           "a: {x: 1}\n",
           "a: [1]\n",
           "a: &x v\nb: *x\n",
           "a: !tag v\n",
           "a: >\n  folded\n",
           "a: |2\n  x\n",
           "a: v # comment\n",
           "a:\tv\n",
           "a: v\r\n",
           "---\na: v\n",
           "a: v\n...\n",
           "%YAML 1.1\n---\na: v\n",
           "a: v",
           "\xef\xbb\xbf"
           "a: v\n",
           "a: \"\\/\"\n",
           "a: \"\\ud800\"\n",
           "'quoted key': v\n",
           "? complex\n: v\n",
           "a: b: c\n",
           "a: x\n  b: c\n",
           "a: 'open\n",
           "just a scalar\n",
           "~: v\n",
           "a: \xc2\x85\n",
           "a:\n b: 1\n  c: 2\n",
           "- a\n  - b\n",
           "a: -1\n",
           "a: 'x\nb: y'\n",
       }) {
    EXPECT_FALSE(BlockYamlToJson(yaml).has_value()) << yaml;
  }
}

// Every record of PyPA's database (YAML): the fast reader takes nearly all of them, and
// what it takes converts exactly as through libyaml.
TEST(BlockYamlSharedData, AgreesWithLibyamlOnRealRecords) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  namespace fs = std::filesystem;
  size_t files = 0, fast = 0;
  {
    const fs::path root = fs::path(::bulkhead::testing::SharedDataDir()) / "osv-pypa/vulns";
    ASSERT_TRUE(fs::is_directory(root)) << root;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.path().extension() != ".yaml") continue;
      Result<std::string> text = ReadFileBounded(e.path().string(), 16 << 20);
      ASSERT_TRUE(text.ok()) << text.error().ToString();
      ++files;
      Result<std::string> slow = LibyamlToJson(*text, e.path().string());
      ASSERT_TRUE(slow.ok()) << slow.error().ToString();
      if (std::optional<std::string> json = BlockYamlToJson(*text)) {
        ++fast;
        ASSERT_EQ(*json, *slow) << e.path();
      }
    }
  }
  EXPECT_GT(files, 2500u);
  // 2,657 of 2,661 files when this was written; the others hold flow collections or
  // scalars that start with an indicator.
  EXPECT_GE(fast * 100, files * 97) << fast << " of " << files;
  std::printf("fast YAML reader: %zu of %zu files\n", fast, files);
}

}  // namespace
}  // namespace bulkhead::vulndb::internal
