#include "bulkhead/image/reference.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/testing/test_util.h"

namespace bulkhead::image {
namespace {

using ::bulkhead::testing::TempDir;

class ParseSourceSpecTest : public ::testing::Test {
 protected:
  void SetUp() override {
    layout_ = dir_.path() + "/layout";
    dir_.WriteFile("layout/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    dir_.WriteFile("layout/index.json", "{}");
    rootfs_ = dir_.path() + "/rootfs";
    dir_.WriteFile("rootfs/etc/os-release", "ID=debian\n");
    archive_ = dir_.WriteFile("img.tar", std::string(1024, '\0'));
    empty_ = dir_.WriteFile("empty.tar", "");
    colon_dir_ = dir_.path() + "/with:colon";
    dir_.WriteFile("with:colon/oci-layout", "{}");
  }

  Result<SourceSpec> Parse(const std::string& text) { return ParseSourceSpec(text); }

  TempDir dir_;
  std::string layout_, rootfs_, archive_, empty_, colon_dir_;
};

TEST_F(ParseSourceSpecTest, Prefixes) {
  struct Case {
    std::string prefix;
    SourceKind kind;
  };
  for (const Case& c :
       {Case{"oci:", SourceKind::kOciLayout}, Case{"oci-archive:", SourceKind::kOciArchive},
        Case{"docker-archive:", SourceKind::kDockerArchive}, Case{"dir:", SourceKind::kRootfs}}) {
    SCOPED_TRACE(c.prefix);
    std::string path = c.kind == SourceKind::kOciLayout ? layout_
                       : c.kind == SourceKind::kRootfs  ? rootfs_
                                                        : archive_;
    Result<SourceSpec> spec = Parse(c.prefix + path);
    ASSERT_TRUE(spec.ok()) << spec.error().ToString();
    EXPECT_EQ(spec->kind, c.kind);
    EXPECT_EQ(spec->path, path);
    EXPECT_EQ(spec->tag, "");
    EXPECT_EQ(spec->display, c.prefix + path);
  }
}

TEST_F(ParseSourceSpecTest, PrefixWithoutPath) {
  for (const char* text : {"oci:", "oci-archive:", "docker-archive:", "dir:"}) {
    Result<SourceSpec> spec = Parse(text);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.error().code(), StatusCode::kInvalidArgument);
  }
  Result<SourceSpec> empty = Parse("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(ParseSourceSpecTest, TagsAfterThePath) {
  Result<SourceSpec> spec = Parse("oci:" + layout_ + ":v1");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, layout_);
  EXPECT_EQ(spec->tag, "v1");

  spec = Parse("oci-archive:" + archive_ + ":latest");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kOciArchive);
  EXPECT_EQ(spec->path, archive_);
  EXPECT_EQ(spec->tag, "latest");
}

TEST_F(ParseSourceSpecTest, DockerReferenceTagKeepsItsColon) {
  Result<SourceSpec> spec = Parse("docker-archive:" + archive_ + ":alpine:3.19");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, archive_);
  EXPECT_EQ(spec->tag, "alpine:3.19");

  spec = Parse("docker-archive:" + archive_ + ":docker.io/library/tiny:v1");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, archive_);
  EXPECT_EQ(spec->tag, "docker.io/library/tiny:v1");
}

TEST_F(ParseSourceSpecTest, DigestsAfterThePath) {
  const std::string digest = "sha256:" + std::string(64, 'e');
  Result<SourceSpec> spec = Parse("oci:" + layout_ + ":" + digest);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, layout_);
  EXPECT_EQ(spec->tag, digest);

  // Even when the path does not exist, the digest is split off whole.
  spec = Parse("oci:/no/such/dir:" + digest);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, "/no/such/dir");
  EXPECT_EQ(spec->tag, digest);
}

TEST_F(ParseSourceSpecTest, PathsWithColons) {
  Result<SourceSpec> spec = Parse("oci:" + colon_dir_);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, colon_dir_);
  EXPECT_EQ(spec->tag, "");

  spec = Parse("oci:" + colon_dir_ + ":v2");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->path, colon_dir_);
  EXPECT_EQ(spec->tag, "v2");

  spec = Parse(colon_dir_);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kOciLayout);
  EXPECT_EQ(spec->path, colon_dir_);
}

TEST_F(ParseSourceSpecTest, DirPrefixNeverSplitsATag) {
  Result<SourceSpec> spec = Parse("dir:" + rootfs_ + ":x");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kRootfs);
  EXPECT_EQ(spec->path, rootfs_ + ":x");
  EXPECT_EQ(spec->tag, "");
}

TEST_F(ParseSourceSpecTest, BareDirectories) {
  Result<SourceSpec> spec = Parse(layout_);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kOciLayout);
  EXPECT_EQ(spec->path, layout_);
  EXPECT_EQ(spec->display, layout_);

  spec = Parse(rootfs_);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kRootfs);
  EXPECT_EQ(spec->path, rootfs_);

  spec = Parse(layout_ + ":v1");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kOciLayout);
  EXPECT_EQ(spec->path, layout_);
  EXPECT_EQ(spec->tag, "v1");
}

TEST_F(ParseSourceSpecTest, BareFiles) {
  Result<SourceSpec> spec = Parse(archive_);
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kArchive);
  EXPECT_EQ(spec->path, archive_);

  spec = Parse(archive_ + ":app:v2");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->kind, SourceKind::kArchive);
  EXPECT_EQ(spec->tag, "app:v2");

  Result<SourceSpec> empty = Parse(empty_);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.error().message().find(empty_), std::string::npos);

  Result<SourceSpec> special = Parse("/dev/null");
  ASSERT_FALSE(special.ok());
  EXPECT_EQ(special.error().code(), StatusCode::kInvalidArgument);
}

TEST_F(ParseSourceSpecTest, MissingPathsAreNotFound) {
  for (const std::string& text :
       {dir_.path() + "/nope", dir_.path() + "/nope.tar", std::string("./does-not-exist"),
        std::string("../does/not/exist:v1"), std::string("does-not-exist"),
        std::string("~/no/such/image.tar")}) {
    SCOPED_TRACE(text);
    Result<SourceSpec> spec = Parse(text);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.error().code(), StatusCode::kNotFound) << spec.error().ToString();
    EXPECT_NE(spec.error().message().find(text), std::string::npos);
  }
}

TEST_F(ParseSourceSpecTest, RegistryReferencesAreUnsupported) {
  for (const char* text :
       {"alpine:3.19", "docker://x", "docker://alpine:3.19", "registry:ghcr.io/a/b",
        "ghcr.io/org/image", "library/alpine", "alpine@sha256:abc", "localhost:5000/img"}) {
    SCOPED_TRACE(text);
    Result<SourceSpec> spec = Parse(text);
    ASSERT_FALSE(spec.ok());
    EXPECT_EQ(spec.error().code(), StatusCode::kUnsupported) << spec.error().ToString();
    EXPECT_NE(spec.error().message().find(text), std::string::npos);
  }
}

TEST(SourceKindNameTest, Names) {
  EXPECT_EQ(SourceKindName(SourceKind::kOciLayout), "oci");
  EXPECT_EQ(SourceKindName(SourceKind::kOciArchive), "oci-archive");
  EXPECT_EQ(SourceKindName(SourceKind::kDockerArchive), "docker-archive");
  EXPECT_EQ(SourceKindName(SourceKind::kArchive), "archive");
  EXPECT_EQ(SourceKindName(SourceKind::kRootfs), "dir");
}

}  // namespace
}  // namespace bulkhead::image
