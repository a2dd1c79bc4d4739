#include "bulkhead/image/manifest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulkhead::image {
namespace {

// A well-formed digest whose hex is `c` repeated.
std::string D(char c) { return "sha256:" + std::string(64, c); }

std::string Desc(const std::string& digest, const std::string& size = "100",
                 const std::string& extra = "") {
  return R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + digest +
         R"(","size":)" + size + extra + "}";
}

std::string Index(const std::vector<std::string>& descriptors,
                  const std::string& media_type = std::string(kOciIndexType)) {
  std::string out = R"({"schemaVersion":2,"mediaType":")" + media_type + R"(","manifests":[)";
  for (size_t i = 0; i < descriptors.size(); ++i) out += (i ? "," : "") + descriptors[i];
  return out + "]}";
}

std::string Manifest(const std::string& config, const std::vector<std::string>& layers,
                     const std::string& head = R"("schemaVersion":2,)") {
  std::string out = "{" + head + R"("config":)" + config + R"(,"layers":[)";
  for (size_t i = 0; i < layers.size(); ++i) out += (i ? "," : "") + layers[i];
  return out + "]}";
}

std::string Deep(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

void ExpectError(const Status& s, StatusCode code, const std::string& name) {
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find(name), std::string::npos) << s.ToString();
}

// ---- index ----

TEST(ParseIndexTest, OciIndexWithPlatformsAndAnnotations) {
  std::string json = Index({
      Desc(
          D('a'), "527",
          R"(,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"org.opencontainers.image.ref.name":"v1","n":5})"),
      Desc(D('b'), "528", R"(,"platform":{"architecture":"arm","os":"linux","variant":"v7"})"),
  });
  Result<ImageIndex> index = ParseIndex(json, "img:index.json");
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  ASSERT_EQ(index->manifests.size(), 2u);
  const Descriptor& a = index->manifests[0];
  EXPECT_EQ(a.media_type, kOciManifestType);
  EXPECT_EQ(a.digest, D('a'));
  EXPECT_EQ(a.size, 527);
  ASSERT_TRUE(a.platform.has_value());
  EXPECT_EQ(a.platform->ToString(), "linux/amd64");
  EXPECT_EQ(a.annotations.size(), 1u);  // non-string values are skipped
  EXPECT_EQ(a.annotations.at(std::string(kRefNameAnnotation)), "v1");
  const Descriptor& b = index->manifests[1];
  ASSERT_TRUE(b.platform.has_value());
  EXPECT_EQ(b.platform->variant, "v7");
  EXPECT_TRUE(b.annotations.empty());
}

TEST(ParseIndexTest, DockerManifestList) {
  std::string json =
      Index({Desc(D('c'), "1", R"(,"platform":{"architecture":"s390x","os":"linux"})")},
            std::string(kDockerListType));
  Result<ImageIndex> index = ParseIndex(json, "list");
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  ASSERT_EQ(index->manifests.size(), 1u);
  EXPECT_EQ(index->manifests[0].platform->architecture, "s390x");
  Result<DocumentKind> kind = SniffDocumentKind(json, "list");
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, DocumentKind::kIndex);
}

TEST(ParseIndexTest, EmptyManifestsIsValid) {
  Result<ImageIndex> index = ParseIndex(Index({}), "x");
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(index->manifests.empty());
}

TEST(ParseIndexTest, MissingOrMistypedManifests) {
  for (const char* json : {R"({"schemaVersion":2})", R"({"manifests":{}})", R"({"manifests":"x"})",
                           R"([])", R"("manifests")", R"({"manifests":[5]})",
                           R"({"manifests":[null]})", R"({"manifests":[{}]})"}) {
    SCOPED_TRACE(json);
    Result<ImageIndex> index = ParseIndex(json, "layout:index.json");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kCorruption, "layout:index.json");
  }
}

TEST(ParseIndexTest, BadDigestsAreCorruption) {
  for (const std::string& digest :
       {std::string(), std::string("sha256:"), std::string("sha256:../../etc"),
        std::string("sha256:../../../../etc/passwd"), "sha256:" + std::string(64, 'A'),
        "sha256:" + std::string(63, 'a'), "sha256:" + std::string(65, 'a'),
        "sha256:" + std::string(63, 'a') + "g", "sha256:" + std::string(64, 'a') + "\n",
        "SHA256:" + std::string(64, 'a'), std::string(64, 'a'), std::string("../../etc:abc"),
        std::string(":abc"), std::string("sha512:"), std::string("sha512:../x")}) {
    SCOPED_TRACE(digest);
    Result<ImageIndex> index = ParseIndex(Index({Desc(digest)}), "idx");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kCorruption, "idx");
  }
}

TEST(ParseIndexTest, OtherAlgorithmsAreUnsupported) {
  for (const std::string& digest :
       {"sha512:" + std::string(128, 'a'), std::string("blake3:abcdef0123"),
        std::string("md5:d41d8cd98f00b204e9800998ecf8427e"), std::string("sha384:abc")}) {
    SCOPED_TRACE(digest);
    Result<ImageIndex> index = ParseIndex(Index({Desc(digest)}), "idx");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kUnsupported, "idx");
    EXPECT_NE(index.error().message().find("sha256"), std::string::npos);
  }
}

TEST(ParseIndexTest, BadSizesAreCorruption) {
  for (const char* size : {"-1", "\"100\"", "1.5", "null", "true", "{}"}) {
    SCOPED_TRACE(size);
    Result<ImageIndex> index = ParseIndex(Index({Desc(D('a'), size)}), "idx");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kCorruption, "idx");
  }
  std::string no_size = R"({"manifests":[{"digest":")" + D('a') + R"("}]})";
  Result<ImageIndex> index = ParseIndex(no_size, "idx");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kCorruption);
  // Zero is a valid size.
  EXPECT_TRUE(ParseIndex(Index({Desc(D('a'), "0")}), "idx").ok());
}

TEST(ParseIndexTest, TooManyDescriptors) {
  std::vector<std::string> descs(kMaxDescriptors + 1, Desc(D('a')));
  Result<ImageIndex> index = ParseIndex(Index(descs), "idx");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kResourceExhausted);
  descs.pop_back();
  EXPECT_TRUE(ParseIndex(Index(descs), "idx").ok());
}

TEST(ParseIndexTest, NotJson) {
  for (const char* text : {"", "not json", "{", R"({"manifests":[)", "\xff\xfe{}"}) {
    SCOPED_TRACE(text);
    Result<ImageIndex> index = ParseIndex(text, "dir:index.json");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kCorruption, "dir:index.json");
  }
}

TEST(ParseIndexTest, DeepNestingIsCorruptionWithoutCrashing) {
  for (size_t depth : {65, 1000, 100000}) {
    SCOPED_TRACE(depth);
    std::string json = R"({"manifests":)" + Deep(depth) + "}";
    Result<ImageIndex> index = ParseIndex(json, "deep");
    ASSERT_FALSE(index.ok());
    ExpectError(index.error(), StatusCode::kCorruption, "deep");
    EXPECT_NE(index.error().message().find("deeper"), std::string::npos)
        << index.error().ToString();
  }
  // Nesting within the limit is fine.
  EXPECT_TRUE(ParseIndex(R"({"manifests":[],"x":)" + Deep(50) + "}", "ok").ok());
}

TEST(ParseIndexTest, HugeDocumentIsRefused) {
  std::string json = Index({}) + std::string(17 << 20, ' ');
  Result<ImageIndex> index = ParseIndex(json, "huge");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kResourceExhausted);
}

// ---- manifest ----

std::string LayerDesc(char c, const std::string& media_type) {
  return R"({"mediaType":")" + media_type + R"(","digest":")" + D(c) + R"(","size":10})";
}

TEST(ParseManifestTest, OciManifest) {
  std::string json =
      Manifest(R"({"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" + D('c') +
                   R"(","size":1216})",
               {LayerDesc('1', "application/vnd.oci.image.layer.v1.tar+gzip"),
                LayerDesc('2', "application/vnd.oci.image.layer.v1.tar+zstd"),
                LayerDesc('3', "application/vnd.oci.image.layer.v1.tar")},
               R"("schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)");
  Result<ImageManifest> m = ParseManifest(json, "m");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->config.digest, D('c'));
  EXPECT_EQ(m->config.size, 1216);
  ASSERT_EQ(m->layers.size(), 3u);
  EXPECT_EQ(m->layers[0].digest, D('1'));
  EXPECT_EQ(m->layers[1].media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
  EXPECT_EQ(m->layers[2].size, 10);
  Result<DocumentKind> kind = SniffDocumentKind(json, "m");
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, DocumentKind::kManifest);
}

TEST(ParseManifestTest, DockerManifest) {
  std::string json = Manifest(
      R"({"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" + D('c') +
          R"(","size":7})",
      {LayerDesc('1', "application/vnd.docker.image.rootfs.diff.tar.gzip")},
      R"("schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)");
  Result<ImageManifest> m = ParseManifest(json, "m");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->layers[0].media_type, "application/vnd.docker.image.rootfs.diff.tar.gzip");
  EXPECT_EQ(*SniffDocumentKind(json, "m"), DocumentKind::kManifest);
}

TEST(ParseManifestTest, UmociManifestWithoutMediaType) {
  std::string json = Manifest(R"({"digest":")" + D('c') + R"(","size":7})",
                              {LayerDesc('1', "application/vnd.oci.image.layer.v1.tar+gzip")});
  Result<ImageManifest> m = ParseManifest(json, "m");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->config.media_type, "");
  Result<DocumentKind> kind = SniffDocumentKind(json, "m");
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, DocumentKind::kManifest);
  // No schemaVersion at all is accepted too.
  EXPECT_TRUE(
      ParseManifest(Manifest(R"({"digest":")" + D('c') + R"(","size":7})", {}, ""), "m").ok());
}

TEST(ParseManifestTest, NoLayersIsValid) {
  Result<ImageManifest> m = ParseManifest(Manifest(Desc(D('c')), {}), "m");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->layers.empty());
}

TEST(ParseManifestTest, SchemaOneIsUnsupported) {
  Result<ImageManifest> m =
      ParseManifest(Manifest(Desc(D('c')), {}, R"("schemaVersion":1,)"), "old");
  ASSERT_FALSE(m.ok());
  ExpectError(m.error(), StatusCode::kUnsupported, "old");
}

TEST(ParseManifestTest, MissingParts) {
  for (const std::string& json :
       {std::string(R"({"schemaVersion":2,"layers":[]})"),
        std::string(R"({"schemaVersion":2,"config":"x","layers":[]})"),
        std::string(R"({"schemaVersion":2,"config":[],"layers":[]})"),
        R"({"schemaVersion":2,"config":)" + Desc(D('c')) + "}",
        R"({"schemaVersion":2,"config":)" + Desc(D('c')) + R"(,"layers":{}})",
        Manifest(Desc("sha256:../../etc"), {}), Manifest(Desc(D('c')), {Desc("sha256:abc")}),
        Manifest(Desc(D('c')), {Desc(D('1'), "-5")}), Manifest(Desc(D('c')), {"7"}),
        std::string("[]")}) {
    SCOPED_TRACE(json);
    Result<ImageManifest> m = ParseManifest(json, "blob sha256:m");
    ASSERT_FALSE(m.ok());
    ExpectError(m.error(), StatusCode::kCorruption, "blob sha256:m");
  }
}

TEST(ParseManifestTest, LayerDigestErrorsSayWhichDescriptor) {
  Result<ImageManifest> m = ParseManifest(
      Manifest(Desc(D('c')), {Desc(D('1')), Desc("sha256:" + std::string(64, 'F'))}), "m");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("layer"), std::string::npos) << m.error().ToString();
  Result<ImageManifest> unsupported =
      ParseManifest(Manifest(Desc("sha512:" + std::string(128, '0')), {}), "m");
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.error().code(), StatusCode::kUnsupported);
  EXPECT_NE(unsupported.error().message().find("config"), std::string::npos);
}

TEST(ParseManifestTest, TooManyLayers) {
  std::vector<std::string> layers(kMaxLayers + 1, Desc(D('1')));
  Result<ImageManifest> m = ParseManifest(Manifest(Desc(D('c')), layers), "m");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), StatusCode::kResourceExhausted);
  layers.pop_back();
  EXPECT_TRUE(ParseManifest(Manifest(Desc(D('c')), layers), "m").ok());
}

TEST(ParseManifestTest, DeepNesting) {
  Result<ImageManifest> m = ParseManifest(Deep(100000), "deep-manifest");
  ASSERT_FALSE(m.ok());
  ExpectError(m.error(), StatusCode::kCorruption, "deep-manifest");
}

// ---- sniffing ----

TEST(SniffDocumentKindTest, ByMediaTypeOrShape) {
  EXPECT_EQ(*SniffDocumentKind(Index({}), "x"), DocumentKind::kIndex);
  EXPECT_EQ(*SniffDocumentKind(Index({}, std::string(kDockerListType)), "x"), DocumentKind::kIndex);
  EXPECT_EQ(*SniffDocumentKind(R"({"manifests":[]})", "x"), DocumentKind::kIndex);
  EXPECT_EQ(*SniffDocumentKind(R"({"layers":[]})", "x"), DocumentKind::kManifest);

  Result<DocumentKind> unknown =
      SniffDocumentKind(R"({"mediaType":"application/vnd.oci.artifact.manifest.v1+json"})", "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), StatusCode::kUnsupported);

  Result<DocumentKind> neither = SniffDocumentKind(R"({"hello":1})", "doc");
  ASSERT_FALSE(neither.ok());
  ExpectError(neither.error(), StatusCode::kCorruption, "doc");

  Result<DocumentKind> bad = SniffDocumentKind("{{", "doc");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kCorruption);
}

// ---- config ----

constexpr const char* kTinyConfig = R"({
 "created": "1970-01-01T00:00:00Z", "architecture": "arm", "variant": "v7", "os": "linux",
 "config": {
  "User": "nobody",
  "Env": ["PATH=/usr/bin:/bin", 5, "LANG=C"],
  "Cmd": ["/bin/sh"],
  "ExposedPorts": {"80/tcp": {}, "443/tcp": {}},
  "Healthcheck": {"Test": ["CMD", "true"]},
  "Labels": {"org.opencontainers.image.title": "tiny", "n": 1}
 },
 "rootfs": {"type": "layers", "diff_ids": [
   "sha256:9b69cb0696c1f0faf28db34600f1bedfbe62a5e6aaac5c3dd7cf948f58f533bd",
   "sha256:5ed9ee7e79ecbc3420628bad69b306487bce153e32e94ade645faeacc8870d89",
   "sha256:c364474ce485d467d47615338bae2d48e4c004a9acff3b6c4730174a6909070f"]},
 "history": [
  {"created_by": "ADD rootfs.tar.gz /"},
  {"created_by": "ENV PATH=/usr/bin:/bin", "empty_layer": true},
  {"created_by": "RUN apk add ca-certificates-bundle"},
  {"created_by": "RUN rm /usr/bin/new-tool", "empty_layer": false},
  {"created_by": "CMD [\"/bin/sh\"]", "empty_layer": true}
 ]
})";

TEST(ParseConfigTest, ReadsFields) {
  Result<ImageConfig> c = ParseConfig(kTinyConfig, "cfg");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->architecture, "arm");
  EXPECT_EQ(c->variant, "v7");
  EXPECT_EQ(c->os, "linux");
  EXPECT_EQ(c->created, "1970-01-01T00:00:00Z");
  EXPECT_EQ(c->user, "nobody");
  EXPECT_EQ(c->env, (std::vector<std::string>{"PATH=/usr/bin:/bin", "LANG=C"}));
  EXPECT_EQ(c->labels.size(), 1u);
  EXPECT_EQ(c->labels.at("org.opencontainers.image.title"), "tiny");
  EXPECT_EQ(c->exposed_ports, (std::vector<std::string>{"80/tcp", "443/tcp"}));
  EXPECT_TRUE(c->has_healthcheck);
  ASSERT_EQ(c->diff_ids.size(), 3u);
  EXPECT_EQ(c->diff_ids[2],
            "sha256:c364474ce485d467d47615338bae2d48e4c004a9acff3b6c4730174a6909070f");
  ASSERT_EQ(c->history.size(), 5u);
  EXPECT_TRUE(c->history[1].empty_layer);
  EXPECT_FALSE(c->history[3].empty_layer);
  EXPECT_TRUE(c->history[4].empty_layer);
}

TEST(ParseConfigTest, MinimalConfig) {
  Result<ImageConfig> c = ParseConfig(R"({"rootfs":{"type":"layers","diff_ids":[]}})", "cfg");
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->user, "");
  EXPECT_FALSE(c->has_healthcheck);
  EXPECT_TRUE(c->diff_ids.empty());
  EXPECT_TRUE(c->history.empty());
}

TEST(ParseConfigTest, Errors) {
  const std::string good_ids = R"("diff_ids":[")" + D('a') + R"("])";
  for (const std::string& json : {
           std::string("[]"),
           std::string("{}"),
           std::string(R"({"rootfs":"layers"})"),
           std::string(R"({"rootfs":{"type":"layers"}})"),
           std::string(R"({"rootfs":{"diff_ids":{}}})"),
           std::string(R"({"rootfs":{"diff_ids":[5]}})"),
           R"({"rootfs":{"diff_ids":["sha256:)" + std::string(64, 'A') + R"("]}})",
           std::string(R"({"rootfs":{"diff_ids":["sha256:../../etc"]}})"),
           R"({"rootfs":{"diff_ids":[")" + D('a') + R"(","sha512:abc"]}})",
           std::string("not json"),
       }) {
    SCOPED_TRACE(json);
    Result<ImageConfig> c = ParseConfig(json, "blobs/sha256/cfg");
    ASSERT_FALSE(c.ok());
    ExpectError(c.error(), StatusCode::kCorruption, "blobs/sha256/cfg");
  }
  EXPECT_TRUE(ParseConfig("{\"rootfs\":{" + good_ids + "}}", "cfg").ok());
}

TEST(ParseConfigTest, DeepNestingIsCorruption) {
  // The deep-json fixture: 100000 '[' then 100000 ']'.
  Result<ImageConfig> c = ParseConfig(Deep(100000), "deep-config");
  ASSERT_FALSE(c.ok());
  ExpectError(c.error(), StatusCode::kCorruption, "deep-config");
  EXPECT_NE(c.error().message().find("deeper"), std::string::npos);
}

TEST(ParseConfigTest, TooManyDiffIds) {
  std::string ids;
  for (size_t i = 0; i <= kMaxLayers; ++i) ids += (i ? ",\"" : "\"") + D('a') + "\"";
  Result<ImageConfig> c = ParseConfig(R"({"rootfs":{"diff_ids":[)" + ids + "]}}", "cfg");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), StatusCode::kResourceExhausted);
}

TEST(LayerCreatedByTest, SkipsEmptyLayers) {
  Result<ImageConfig> c = ParseConfig(kTinyConfig, "cfg");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(LayerCreatedBy(*c, 3),
            (std::vector<std::string>{"ADD rootfs.tar.gz /", "RUN apk add ca-certificates-bundle",
                                      "RUN rm /usr/bin/new-tool"}));
}

TEST(LayerCreatedByTest, MismatchGivesEmptyStrings) {
  Result<ImageConfig> c = ParseConfig(kTinyConfig, "cfg");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(LayerCreatedBy(*c, 2), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(LayerCreatedBy(*c, 4), (std::vector<std::string>(4, "")));
  ImageConfig none;
  EXPECT_EQ(LayerCreatedBy(none, 2), (std::vector<std::string>{"", ""}));
  EXPECT_TRUE(LayerCreatedBy(none, 0).empty());
}

// ---- platform ----

TEST(PlatformTest, Parse) {
  Result<Platform> p = Platform::Parse("linux/amd64");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->os, "linux");
  EXPECT_EQ(p->architecture, "amd64");
  EXPECT_EQ(p->variant, "");
  EXPECT_EQ(p->ToString(), "linux/amd64");

  p = Platform::Parse("linux/arm/v7");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->architecture, "arm");
  EXPECT_EQ(p->variant, "v7");
  EXPECT_EQ(p->ToString(), "linux/arm/v7");

  p = Platform::Parse("windows/amd64");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->os, "windows");
}

TEST(PlatformTest, ParseErrors) {
  for (const char* text : {"", "linux", "linux/", "/amd64", "/", "//", "linux//v7", "linux/arm/",
                           "linux/arm/v7/extra", "linux/arm/v7/"}) {
    SCOPED_TRACE(text);
    Result<Platform> p = Platform::Parse(text);
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(p.error().message().find("os/arch"), std::string::npos);
  }
}

Platform P(const char* text) { return Platform::Parse(text).value(); }

TEST(PlatformTest, Matches) {
  EXPECT_TRUE(P("linux/amd64").Matches(P("linux/amd64")));
  EXPECT_FALSE(P("linux/amd64").Matches(P("linux/arm64")));
  EXPECT_FALSE(P("linux/amd64").Matches(P("windows/amd64")));
  // An empty wanted variant matches any.
  EXPECT_TRUE(P("linux/arm64").Matches(P("linux/arm64/v8")));
  EXPECT_TRUE(P("linux/arm").Matches(P("linux/arm/v7")));
  // arm64 without a variant is v8.
  EXPECT_TRUE(P("linux/arm64/v8").Matches(P("linux/arm64")));
  EXPECT_FALSE(P("linux/arm64/v9").Matches(P("linux/arm64")));
  EXPECT_TRUE(P("linux/arm/v7").Matches(P("linux/arm/v7")));
  EXPECT_FALSE(P("linux/arm/v7").Matches(P("linux/arm/v6")));
  EXPECT_FALSE(P("linux/arm/v7").Matches(P("linux/arm64/v7")));
  EXPECT_FALSE(P("linux/arm/v7").Matches(P("linux/arm")));
  EXPECT_FALSE(P("linux/s390x").Matches(P("linux/amd64")));
}

TEST(PlatformTest, Host) {
  Platform host = Platform::Host();
  EXPECT_EQ(host.os, "linux");
  EXPECT_FALSE(host.architecture.empty());
  EXPECT_TRUE(Platform::Parse(host.ToString()).ok());
  EXPECT_TRUE(host.Matches(host));
}

}  // namespace
}  // namespace bulkhead::image
