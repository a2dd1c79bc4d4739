#include "bulkhead/pkg/purl.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace bulkhead::pkg {
namespace {

TEST(PurlEncodeTest, SafeCharactersStay) {
  EXPECT_EQ(PurlEncode("AZaz09.-_~"), "AZaz09.-_~");
  EXPECT_EQ(PurlEncode(""), "");
}

TEST(PurlEncodeTest, ColonIsNeverEncoded) {
  // purl-spec "Character encoding": the colon ':' must not be percent-encoded, whether
  // used as a separator or otherwise.
  EXPECT_EQ(PurlEncode("1:2.3-1"), "1:2.3-1");
}

TEST(PurlEncodeTest, ReservedAndOtherCharactersAreEncoded) {
  EXPECT_EQ(PurlEncode("1.2+b1"), "1.2%2Bb1");
  EXPECT_EQ(PurlEncode("a/b"), "a%2Fb");
  EXPECT_EQ(PurlEncode("a b"), "a%20b");  // never '+'
  EXPECT_EQ(PurlEncode("a@b?c=d&e#f"), "a%40b%3Fc%3Dd%26e%23f");
  EXPECT_EQ(PurlEncode("100%"), "100%25");
  EXPECT_EQ(PurlEncode("\"'<>\\^`{|}"), "%22%27%3C%3E%5C%5E%60%7B%7C%7D");
  EXPECT_EQ(PurlEncode(std::string("\x01\x7f", 2)), "%01%7F");
  EXPECT_EQ(PurlEncode("caf\xc3\xa9"), "caf%C3%A9");  // UTF-8 bytes, upper-case hex
}

TEST(BuildPurlTest, DebianLikeTrivyAndSyft) {
  EXPECT_EQ(BuildPurl("deb", "debian", "openssl", "3.0.11-1~deb12u2",
                      {{"arch", "amd64"}, {"distro", "debian-12"}}),
            "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
}

TEST(BuildPurlTest, VersionEncoding) {
  EXPECT_EQ(BuildPurl("deb", "debian", "libc6", "2.36-9+deb12u4", {}),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4");
  EXPECT_EQ(BuildPurl("deb", "debian", "tzdata", "1:2024a-0", {}),
            "pkg:deb/debian/tzdata@1:2024a-0");
  EXPECT_EQ(BuildPurl("generic", "", "x", "1.0 beta", {}), "pkg:generic/x@1.0%20beta");
}

TEST(BuildPurlTest, NameEncoding) {
  EXPECT_EQ(BuildPurl("apk", "alpine", "libstdc++", "13.2.1_git20231014-r0", {}),
            "pkg:apk/alpine/libstdc%2B%2B@13.2.1_git20231014-r0");
  EXPECT_EQ(BuildPurl("generic", "", "a/b", "1", {}), "pkg:generic/a%2Fb@1");
}

TEST(BuildPurlTest, NamespaceSegmentsKeepTheirSlashes) {
  EXPECT_EQ(BuildPurl("golang", "github.com/google", "uuid", "v1.6.0", {}),
            "pkg:golang/github.com/google/uuid@v1.6.0");
  EXPECT_EQ(BuildPurl("maven", "org.apache commons", "io", "1", {}),
            "pkg:maven/org.apache%20commons/io@1");
  EXPECT_EQ(BuildPurl("generic", "/a//b/", "c", "", {}), "pkg:generic/a/b/c");
}

TEST(BuildPurlTest, NoNamespaceNoVersion) {
  EXPECT_EQ(BuildPurl("generic", "", "thing", "", {}), "pkg:generic/thing");
}

TEST(BuildPurlTest, QualifiersSortedByKey) {
  EXPECT_EQ(BuildPurl("rpm", "rocky", "openssl", "3.0.7-25.el9_3",
                      {{"epoch", "1"}, {"distro", "rocky-9.3"}, {"arch", "x86_64"}}),
            "pkg:rpm/rocky/openssl@3.0.7-25.el9_3?arch=x86_64&distro=rocky-9.3&epoch=1");
}

TEST(BuildPurlTest, EmptyQualifiersAreDropped) {
  EXPECT_EQ(BuildPurl("deb", "debian", "a", "1", {{"arch", "amd64"}, {"epoch", ""}}),
            "pkg:deb/debian/a@1?arch=amd64");
  EXPECT_EQ(BuildPurl("deb", "debian", "a", "1", {{"arch", ""}, {"epoch", ""}}),
            "pkg:deb/debian/a@1");
}

TEST(BuildPurlTest, QualifierValuesAreEncoded) {
  EXPECT_EQ(BuildPurl("generic", "", "a", "1",
                      {{"download_url", "https://x.org/a b.tgz"}, {"checksum", "sha256:ab"}}),
            "pkg:generic/a@1?checksum=sha256:ab&download_url=https:%2F%2Fx.org%2Fa%20b.tgz");
}

}  // namespace
}  // namespace bulkhead::pkg
