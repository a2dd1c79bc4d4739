#include "bulkhead/vulndb/internal/yaml_json.h"

#include <gtest/gtest.h>

#include <string>

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

}  // namespace
}  // namespace bulkhead::vulndb::internal
