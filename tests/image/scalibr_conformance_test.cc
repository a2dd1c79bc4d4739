// Conformance with osv-scalibr's layer-scanning test images (docker save archives with
// symlink attacks, cycles, chains and overwrites): the walk and the squash must resolve
// links the way the kernel would inside the image root, never leave it, and never hang.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "bulkhead/core/path.h"
#include "bulkhead/image/layer_walk.h"
#include "bulkhead/image/overlay.h"
#include "bulkhead/image/source.h"
#include "tests/testing/test_util.h"

namespace bulkhead::image {
namespace {

class KeepAll final : public EntryVisitor {
 public:
  Status OnEntry(const std::string& path, const FileMeta& meta, ContentReader& content) override {
    if (meta.type != EntryType::kFile) return Status::OK();
    std::string data;
    uint8_t buf[4096];
    for (;;) {
      BULKHEAD_ASSIGN_OR_RETURN(size_t n, content.Read(buf, sizeof(buf)));
      if (n == 0) break;
      data.append(reinterpret_cast<char*>(buf), n);
    }
    contents[path] = data;
    return Status::OK();
  }
  std::map<std::string, std::string> contents;
};

struct Scanned {
  std::vector<LayerFiles> layers;
  std::vector<std::map<std::string, std::string>> contents;
  Overlay overlay;
};

std::string Fixture(const std::string& name) {
  return testing::SharedDataDir() + "/osv-scalibr/artifact/image/layerscanning/image/testdata/" +
         name;
}

Scanned Scan(const std::string& name) {
  Scanned s;
  auto spec = ParseSourceSpec("docker-archive:" + Fixture(name));
  EXPECT_TRUE(spec.ok()) << spec.status().ToString();
  auto img = OpenImage(*spec, {});
  EXPECT_TRUE(img.ok()) << img.status().ToString();
  if (!img.ok()) return s;
  s.layers.resize((*img)->layers().size());
  for (size_t i = 0; i < s.layers.size(); ++i) {
    auto stream = (*img)->OpenLayer(i, {});
    EXPECT_TRUE(stream.ok());
    KeepAll visitor;
    Status st = WalkLayer(std::move(stream).value(), {}, visitor, &s.layers[i]);
    EXPECT_TRUE(st.ok()) << st.ToString();
    s.contents.push_back(visitor.contents);
  }
  std::vector<const LayerFiles*> ptrs;
  for (const LayerFiles& l : s.layers) ptrs.push_back(&l);
  s.overlay = Overlay::Build(ptrs);
  return s;
}

class ScalibrConformance : public ::testing::Test {
 protected:
  void SetUp() override { BULKHEAD_REQUIRE_SHARED_DATA(); }
};

TEST_F(ScalibrConformance, BasicLinksAllReachTheSampleFile) {
  Scanned s = Scan("symlink-basic.tar");
  for (const char* link : {"/dir1/absolute-symlink.txt", "/dir1/chain-symlink.txt",
                           "/dir1/relative-dot-symlink.txt", "/dir1/relative-symlink.txt"}) {
    Result<std::string> r = s.overlay.Resolve(link);
    ASSERT_TRUE(r.ok()) << link << ": " << r.status().ToString();
    EXPECT_EQ(*r, "/dir1/sample.txt") << link;
  }
  EXPECT_EQ(s.contents[0].count("/dir1/sample.txt"), 1u);
}

TEST_F(ScalibrConformance, CycleIsAnErrorNotAHang) {
  Scanned s = Scan("symlink-cycle.tar");
  for (const char* link :
       {"/dir1/sample.txt", "/dir1/chain-symlink.txt", "/dir1/absolute-symlink.txt"}) {
    Result<std::string> r = s.overlay.Resolve(link);
    ASSERT_FALSE(r.ok()) << link;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_NE(r.status().message().find("too many levels"), std::string_view::npos);
  }
}

TEST_F(ScalibrConformance, SevenLinkChainResolvesLikeTheKernel) {
  // Linux follows up to 40 links; a chain of seven is legal.
  Scanned s = Scan("symlink-depth-exceeded.tar");
  Result<std::string> r = s.overlay.Resolve("/dir1/symlink7.txt");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "/dir1/sample.txt");
}

TEST_F(ScalibrConformance, AttackLinksStayInsideTheRoot) {
  Scanned s = Scan("symlink-attack.tar");
  // Both links aim above the root; inside the image they name /secret.txt, which does
  // not exist there.
  for (const char* link : {"/dir1/attack-symlink.txt", "/dir1/attack-symlink-absolute.txt"}) {
    const Overlay::File* f = s.overlay.Find(link);
    ASSERT_NE(f, nullptr) << link;
    EXPECT_EQ(ResolveLinkTarget(link, f->meta.link_target).path, "/secret.txt");
    Result<std::string> r = s.overlay.Resolve(link);
    EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  }
}

TEST_F(ScalibrConformance, DanglingLinksAcrossLayersAreNotFound) {
  Scanned s = Scan("symlink-dangling.tar");
  ASSERT_EQ(s.layers.size(), 2u);
  for (const char* link :
       {"/dir2/dir3/absolute-chain-symlink.txt", "/dir2/dir3/absolute-subfolder-symlink.txt",
        "/dir2/dir3/relative-subfolder-symlink.txt"}) {
    EXPECT_NE(s.overlay.Find(link), nullptr) << link;
    EXPECT_TRUE(s.overlay.Resolve(link).status().IsNotFound()) << link;
  }
}

TEST_F(ScalibrConformance, OverwrittenFileComesFromTheUpperLayer) {
  Scanned s = Scan("overwrite-file.tar");
  ASSERT_EQ(s.layers.size(), 2u);
  const Overlay::File* f = s.overlay.Find("/sample.txt");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->layer, 1u);
  EXPECT_EQ(s.overlay.DeletedIn(0, "/sample.txt"), std::optional<uint32_t>(1));
  EXPECT_EQ(s.overlay.DeletedIn(1, "/sample.txt"), std::nullopt);
  EXPECT_NE(s.contents[0].at("/sample.txt"), s.contents[1].at("/sample.txt"));
}

TEST_F(ScalibrConformance, EveryArchiveOpensOrFailsCleanly) {
  for (const char* name :
       {"basic.tar", "empty.tar", "multiple-files.tar", "single-file.tar", "two-files.tar"}) {
    auto spec = ParseSourceSpec(Fixture(name));
    if (!spec.ok()) continue;  // empty.tar may already be refused here
    auto img = OpenImage(*spec, {});
    if (std::string(name) == "empty.tar") {
      ASSERT_FALSE(img.ok());
      EXPECT_NE(img.status().message().find("empty.tar"), std::string_view::npos);
      continue;
    }
    ASSERT_TRUE(img.ok()) << name << ": " << img.status().ToString();
    for (size_t i = 0; i < (*img)->layers().size(); ++i) {
      auto stream = (*img)->OpenLayer(i, {});
      ASSERT_TRUE(stream.ok());
      KeepAll visitor;
      LayerFiles files;
      EXPECT_TRUE(WalkLayer(std::move(stream).value(), {}, visitor, &files).ok()) << name;
    }
  }
}

}  // namespace
}  // namespace bulkhead::image
