#include "bulkhead/k8s/manifest.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/testing/test_util.h"

namespace bulkhead::k8s {
namespace {

Manifests Parse(std::string_view text, const LoadOptions& options = {}) {
  Manifests m;
  Status s = ParseManifests(text, "in.yaml", options, &m);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return m;
}

TEST(Manifest, MultiDocumentYamlAndLists) {
  Manifests m = Parse(R"(# Source: chart/templates/a.yaml
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ns1}
spec: {containers: [{name: c, image: nginx}]}
---
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: d}
- apiVersion: v1
  kind: Namespace
  metadata: {name: ns1}
---
apiVersion: v1
kind: Service
metadata: {name: s}
)");
  ASSERT_EQ(m.objects.size(), 3u);
  EXPECT_EQ(m.objects[0].Id(), "Pod/ns1/a");
  EXPECT_EQ(m.objects[0].line, 2u);
  EXPECT_EQ(m.objects[1].Id(), "Deployment/default/d");
  EXPECT_EQ(m.objects[2].Id(), "Namespace/ns1");
  EXPECT_EQ(m.objects[2].line, 14u);
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_EQ(m.diagnostics[0].message, "kind Service is not audited: 1 object(s) ignored");
  EXPECT_EQ(m.diagnostics[0].path, "in.yaml");
}

TEST(Manifest, Json) {
  Manifests m = Parse(R"({"apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p"}, "spec": {"hostNetwork": true, "containers": []}})");
  ASSERT_EQ(m.objects.size(), 1u);
  EXPECT_TRUE(m.objects[0].root["spec"]["hostNetwork"].IsTrue());
  EXPECT_EQ(m.objects[0].root["spec"]["containers"].type(), Node::Type::kSequence);
}

TEST(Manifest, AliasesAreExpandedAndComplexKeysDropped) {
  Manifests m = Parse(R"(kind: Pod
metadata: {name: p}
spec:
  containers:
  - &c {name: a, image: x, securityContext: {privileged: true}}
  - *c
  ? [complex, key]
  : ignored
  ~: null-key
)");
  ASSERT_EQ(m.objects.size(), 1u);
  const Node& spec = m.objects[0].root["spec"];
  ASSERT_EQ(spec["containers"].size(), 2u);
  EXPECT_EQ(spec["containers"][size_t{1}]["name"].Str(), "a");
  EXPECT_TRUE(spec["containers"][size_t{1}]["securityContext"]["privileged"].IsTrue());
  EXPECT_EQ(spec.keys(), (std::vector<std::string>{"containers"}));
}

TEST(Manifest, InvalidYamlNamesFileAndLine) {
  Manifests m;
  Status s = ParseManifests("apiVersion: v1\nkind: Pod\n---\na: b\n  c: [d\n", "bad.yaml", {}, &m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_TRUE(std::string(s.message()).starts_with("bad.yaml:5: invalid YAML")) << s.message();
  EXPECT_EQ(std::string(s.message()).find('\n'), std::string::npos);
}

TEST(Manifest, BillionLaughsIsRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  bomb += "kind: Pod\n";
  Manifests m;
  LoadOptions options;
  options.max_nodes = 100000;
  Status s = ParseManifests(bomb, "bomb.yaml", options, &m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(std::string(s.message()).find("bomb.yaml"), std::string::npos);
}

TEST(Manifest, DeepNestingIsRefused) {
  std::string deep = "kind: Pod\nspec: " + std::string(150, '[') + std::string(150, ']') + "\n";
  Manifests m;
  Status s = ParseManifests(deep, "deep.yaml", {}, &m);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  std::string deeper = std::string(100000, '[');
  s = ParseManifests(deeper, "deeper.yaml", {}, &m);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("deeper.yaml"), std::string::npos);
}

TEST(Manifest, LimitsOnSizeAndDocuments) {
  LoadOptions small;
  small.max_file_bytes = 10;
  Manifests m;
  EXPECT_EQ(ParseManifests("kind: Pod\nmetadata: {}\n", "big.yaml", small, &m).code(),
            StatusCode::kResourceExhausted);
  LoadOptions few;
  few.max_documents = 2;
  EXPECT_EQ(ParseManifests("a: 1\n---\nb: 2\n---\nc: 3\n", "many.yaml", few, &m).code(),
            StatusCode::kResourceExhausted);
}

TEST(Manifest, DocumentsWithoutKindAreNoted) {
  Manifests m = Parse("just: a map\n---\n- a list\n---\n");
  EXPECT_TRUE(m.objects.empty());
  ASSERT_EQ(m.diagnostics.size(), 1u);
  EXPECT_NE(m.diagnostics[0].message.find("2 document(s) without a kind"), std::string::npos);
}

TEST(Manifest, LoadPathWalksDirectoriesSorted) {
  testing::TempDir dir;
  dir.WriteFile("b/pod.yaml", "kind: Pod\nmetadata: {name: b}\n");
  dir.WriteFile("a.yml", "kind: Pod\nmetadata: {name: a}\n");
  dir.WriteFile("c.json", R"({"kind": "Pod", "metadata": {"name": "c"}})");
  dir.WriteFile("notes.txt", "kind: Pod\n");
  Manifests m;
  ASSERT_TRUE(LoadPath(dir.path(), {}, &m).ok());
  ASSERT_EQ(m.objects.size(), 3u);
  EXPECT_EQ(m.objects[0].name, "a");
  EXPECT_EQ(m.objects[1].name, "b");
  EXPECT_EQ(m.objects[2].name, "c");
  EXPECT_EQ(LoadPath(dir.path() + "/missing", {}, &m).code(), StatusCode::kNotFound);
}

TEST(Manifest, NodeAccessors) {
  Manifests m = Parse("kind: Pod\nspec:\n  a: 'yes'\n  b: 12\n  c: x\n  d: false\n");
  const Node& spec = m.objects[0].root["spec"];
  EXPECT_EQ(spec["b"].Int(), 12);
  EXPECT_FALSE(spec["c"].Int().has_value());
  EXPECT_EQ(spec["d"].Bool(), false);
  EXPECT_TRUE(spec["missing"]["deeper"][size_t{3}].IsNull());
  EXPECT_EQ(spec["c"].line(), 5u);
}

}  // namespace
}  // namespace bulkhead::k8s
