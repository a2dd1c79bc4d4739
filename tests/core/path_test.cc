#include "bulkhead/core/path.h"

#include <gtest/gtest.h>

#include <string>

namespace bulkhead {
namespace {

struct CanonCase {
  std::string raw;
  std::string want;
  bool escaped;
};

class CanonicalizePathTest : public ::testing::TestWithParam<CanonCase> {};

TEST_P(CanonicalizePathTest, Canonicalizes) {
  const CanonCase& c = GetParam();
  CanonicalPath got = CanonicalizePath(c.raw);
  EXPECT_EQ(got.path, c.want) << "raw: '" << c.raw << "'";
  EXPECT_EQ(got.escaped, c.escaped) << "raw: '" << c.raw << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CanonicalizePathTest,
    ::testing::Values(
        // The root in all its spellings.
        CanonCase{"", "/", false}, CanonCase{".", "/", false}, CanonCase{"./", "/", false},
        CanonCase{"/", "/", false}, CanonCase{"//", "/", false}, CanonCase{"/./", "/", false},
        CanonCase{"././.", "/", false},
        // Leading "./" and "/" both mean the root.
        CanonCase{"etc/passwd", "/etc/passwd", false},
        CanonCase{"./etc/passwd", "/etc/passwd", false},
        CanonCase{"/etc/passwd", "/etc/passwd", false},
        CanonCase{"//etc//passwd", "/etc/passwd", false},
        CanonCase{".//etc/./passwd", "/etc/passwd", false},
        // Trailing slashes and dots go.
        CanonCase{"usr/lib/", "/usr/lib", false}, CanonCase{"usr/lib/.", "/usr/lib", false},
        CanonCase{"usr/lib//", "/usr/lib", false},
        // ".." inside the tree.
        CanonCase{"a/../b", "/b", false}, CanonCase{"a/b/..", "/a", false},
        CanonCase{"a/b/../..", "/", false}, CanonCase{"/a/b/c/../../d", "/a/d", false},
        CanonCase{"a/./b/../c", "/a/c", false},
        // ".." above the root is clamped and flagged.
        CanonCase{"..", "/", true}, CanonCase{"../", "/", true}, CanonCase{"/..", "/", true},
        CanonCase{"../etc/passwd", "/etc/passwd", true},
        CanonCase{"../../etc/evil", "/etc/evil", true},
        CanonCase{"a/../../escape", "/escape", true}, CanonCase{"a/b/../../..", "/", true},
        CanonCase{"./../x", "/x", true},
        // Names that only look special.
        CanonCase{"...", "/...", false}, CanonCase{"..a", "/..a", false},
        CanonCase{"a..", "/a..", false}, CanonCase{".wh..wh..opq", "/.wh..wh..opq", false},
        CanonCase{"a/.b/c.", "/a/.b/c.", false}));

TEST(CanonicalizePathTest, EscapedStaysSetAfterLaterComponents) {
  CanonicalPath p = CanonicalizePath("../a/b/c");
  EXPECT_EQ(p.path, "/a/b/c");
  EXPECT_TRUE(p.escaped);
}

TEST(CanonicalizePathTest, IsIdempotent) {
  for (const char* raw : {"./a//b/../c/", "../../x/y", "/", "a/b/c"}) {
    std::string once = CanonicalizePath(raw).path;
    CanonicalPath twice = CanonicalizePath(once);
    EXPECT_EQ(twice.path, once) << raw;
    EXPECT_FALSE(twice.escaped) << raw;
  }
}

TEST(CanonicalizePathTest, KeepsEmbeddedNulAndBytes) {
  std::string raw("a\0b/c", 5);
  EXPECT_EQ(CanonicalizePath(raw).path, std::string("/a\0b/c", 6));
  EXPECT_EQ(CanonicalizePath("caf\xc3\xa9/x").path, "/caf\xc3\xa9/x");
}

TEST(CanonicalizePathTest, LongPath) {
  std::string raw;
  std::string want;
  for (int i = 0; i < 1000; ++i) {
    raw += "d/";
    want += "/d";
  }
  EXPECT_EQ(CanonicalizePath(raw).path, want);
  // As many ".." as components brings it back to the root, one more escapes.
  std::string up;
  for (int i = 0; i < 1000; ++i) up += "../";
  EXPECT_EQ(CanonicalizePath(raw + up).path, "/");
  EXPECT_FALSE(CanonicalizePath(raw + up).escaped);
  EXPECT_TRUE(CanonicalizePath(raw + up + "..").escaped);
}

TEST(ParentPathTest, Parents) {
  EXPECT_EQ(ParentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentPath("/a/b"), "/a");
  EXPECT_EQ(ParentPath("/a"), "/");
  EXPECT_EQ(ParentPath("/"), "/");
}

TEST(BaseNameTest, BaseNames) {
  EXPECT_EQ(BaseName("/a/b/c"), "c");
  EXPECT_EQ(BaseName("/etc/os-release"), "os-release");
  EXPECT_EQ(BaseName("/a"), "a");
  EXPECT_EQ(BaseName("/"), "");
  EXPECT_EQ(BaseName("/usr/bin/.wh.new-tool"), ".wh.new-tool");
}

TEST(ResolveLinkTargetTest, AbsoluteTargetIgnoresLinkDirectory) {
  CanonicalPath p = ResolveLinkTarget("/bin/sh", "/bin/busybox");
  EXPECT_EQ(p.path, "/bin/busybox");
  EXPECT_FALSE(p.escaped);
  EXPECT_EQ(ResolveLinkTarget("/a/b/c", "/etc//shadow/").path, "/etc/shadow");
  EXPECT_EQ(ResolveLinkTarget("/dev/fd", "/proc/self/fd").path, "/proc/self/fd");
}

TEST(ResolveLinkTargetTest, RelativeTargetIsJoinedToLinkDirectory) {
  EXPECT_EQ(ResolveLinkTarget("/etc/os-release", "../usr/lib/os-release").path,
            "/usr/lib/os-release");
  EXPECT_EQ(ResolveLinkTarget("/usr/bin/python3", "python3.11").path, "/usr/bin/python3.11");
  EXPECT_EQ(ResolveLinkTarget("/usr/lib/x", "./y/../z").path, "/usr/lib/z");
  EXPECT_EQ(ResolveLinkTarget("/a", "b").path, "/b");
  EXPECT_EQ(ResolveLinkTarget("/a/b", ".").path, "/a");
  EXPECT_FALSE(ResolveLinkTarget("/etc/os-release", "../usr/lib/os-release").escaped);
}

TEST(ResolveLinkTargetTest, DotDotBeyondRootIsClamped) {
  CanonicalPath p = ResolveLinkTarget("/x", "../../../../outside");
  EXPECT_EQ(p.path, "/outside");
  EXPECT_TRUE(p.escaped);

  p = ResolveLinkTarget("/a/b/link", "../../../etc/passwd");
  EXPECT_EQ(p.path, "/etc/passwd");
  EXPECT_TRUE(p.escaped);

  p = ResolveLinkTarget("/a/b/link", "../../etc/passwd");  // exactly to the root: fine
  EXPECT_EQ(p.path, "/etc/passwd");
  EXPECT_FALSE(p.escaped);

  p = ResolveLinkTarget("/link", "/../../etc");
  EXPECT_EQ(p.path, "/etc");
  EXPECT_TRUE(p.escaped);
}

}  // namespace
}  // namespace bulkhead
