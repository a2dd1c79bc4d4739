#include "bulkhead/pkg/apk_analyzer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::pkg {
namespace {

using ::bulkhead::testing::FakeImage;
using ::bulkhead::testing::OnePackage;
using ::bulkhead::testing::PackageNames;
using ::bulkhead::testing::ReadFileOrDie;
using ::bulkhead::testing::SharedDataDir;

constexpr std::string_view kInstalled = R"(C:Q1SyDpQm1bD5KJ5Ww5TzSjkjqR2kM=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teras <timo.teras@iki.fi>
t:1698931431
c:6d1c6b3b8b7e0e8c4b4d6c3f0e2e2f8e0d1b2c3a
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1Vs4b8wUjAT8nTPjJzJYMqVK6kA0=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1Ur2Nf6JBZ1b2W3W9Z9Gx0WjSpmg=
P:musl-utils
V:1.2.4-r2
A:x86_64
S:36927
I:135168
T:the musl c library (libc) implementation
o:musl
D:scanelf so:libc.musl-x86_64.so.1=1
F:sbin
R:ldconfig
a:0:0:755
F:usr/bin
R:getconf
R:getent
R:iconv
R:ldd

C:Q1nTSEKxr3HkV4fgwr4IO3xbDPXuE=
P:alpine-baselayout-data
V:3.4.3-r2
A:x86_64
o:alpine-baselayout
F:etc
R:fstab
R:group
R:hostname
R:hosts
R:passwd
F:etc/apk
R:arch

C:Q1wQfF2m0vFqhlC4Hh6mTqXsM7Yps=
P:ca-certificates-bundle
V:20230506-r0
A:x86_64
F:etc/ssl/certs
R:ca-certificates.crt
)";

constexpr std::string_view kAlpineRelease = "3.19.1\n";
constexpr std::string_view kAlpineOsRelease =
    "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n"
    "PRETTY_NAME=\"Alpine Linux v3.19\"\nHOME_URL=\"https://alpinelinux.org/\"\n";

const ApkRecord* Find(const std::vector<ApkRecord>& records, std::string_view name) {
  for (const ApkRecord& r : records) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

TEST(ParseApkInstalledTest, Fields) {
  Result<std::vector<ApkRecord>> r = ParseApkInstalled(kInstalled, "installed");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);
  const ApkRecord& musl = (*r)[0];
  EXPECT_EQ(musl.name, "musl");
  EXPECT_EQ(musl.version, "1.2.4-r2");
  EXPECT_EQ(musl.arch, "x86_64");
  EXPECT_EQ(musl.origin, "musl");
  EXPECT_EQ(musl.files,
            (std::vector<std::string>{"/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"}));
  EXPECT_EQ(Find(*r, "ca-certificates-bundle")->origin, "");
}

TEST(ParseApkInstalledTest, FilesJoinTheLatestDirectory) {
  Result<std::vector<ApkRecord>> r = ParseApkInstalled(kInstalled, "installed");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Find(*r, "musl-utils")->files,
            (std::vector<std::string>{"/sbin/ldconfig", "/usr/bin/getconf", "/usr/bin/getent",
                                      "/usr/bin/iconv", "/usr/bin/ldd"}));
  EXPECT_EQ(Find(*r, "alpine-baselayout-data")->files,
            (std::vector<std::string>{"/etc/fstab", "/etc/group", "/etc/hostname", "/etc/hosts",
                                      "/etc/passwd", "/etc/apk/arch"}));
  // R: before any F: is at the root; the directory is reset between packages.
  Result<std::vector<ApkRecord>> root =
      ParseApkInstalled("P:a\nV:1\nF:usr/lib\nR:x\n\nP:b\nV:1\nR:top\n", "installed");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(Find(*root, "b")->files, (std::vector<std::string>{"/top"}));
}

TEST(ParseApkInstalledTest, CrlfAndNoTrailingNewline) {
  Result<std::vector<ApkRecord>> r =
      ParseApkInstalled("P:a\r\nV:1.0-r0\r\nA:aarch64\r\n\r\nP:b\r\nV:2.0-r1", "installed");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].version, "1.0-r0");
  EXPECT_EQ((*r)[0].arch, "aarch64");
  EXPECT_EQ((*r)[1].version, "2.0-r1");
}

TEST(ParseApkInstalledTest, UnknownFieldsAndEmptyRecordsAreIgnored) {
  Result<std::vector<ApkRecord>> r =
      ParseApkInstalled("\n\nC:Q1abc=\nV:9\n\nP:a\nV:1\nq:1\nr:foo\nk:100\n\n\n", "installed");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);  // the record without P: is dropped
  EXPECT_EQ((*r)[0].name, "a");
}

TEST(ParseApkInstalledTest, MalformedLineIsCorruptionNamingFileAndLine) {
  Result<std::vector<ApkRecord>> r =
      ParseApkInstalled("P:a\nV:1\n\nP:b\nthis is not a field\n", "/lib/apk/db/installed");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kCorruption);
  EXPECT_NE(r.error().message().find("/lib/apk/db/installed:5"), std::string_view::npos)
      << r.error().message();
  Result<std::vector<ApkRecord>> one_char = ParseApkInstalled("P:a\nX\n", "db");
  ASSERT_FALSE(one_char.ok());
  EXPECT_NE(one_char.error().message().find("db:2"), std::string_view::npos);
}

TEST(ParseApkInstalledTest, TooManyRecordsIsResourceExhausted) {
  std::string three = "P:a\nV:1\n\nP:b\nV:1\n\nP:c\nV:1\n";
  Result<std::vector<ApkRecord>> at_limit = ParseApkInstalled(three, "installed", 3);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  for (std::string text : {three, three + "\n"}) {
    Result<std::vector<ApkRecord>> r = ParseApkInstalled(text, "installed", 2);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
  }
}

TEST(ParseApkInstalledTest, MebibyteLineIsFine) {
  std::string text = "P:big\nV:1-r0\nT:" + std::string(1 << 20, 'x') +
                     "\nF:usr\nR:" + std::string(1 << 20, 'y') + "\n";
  Result<std::vector<ApkRecord>> r = ParseApkInstalled(text, "installed");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  ASSERT_EQ(r->front().files.size(), 1u);
  EXPECT_EQ(r->front().files[0].size(), (1u << 20) + 5);  // "/usr/" + name
}

TEST(ApkAnalyzerTest, RequiredPaths) {
  ApkAnalyzer a;
  image::FileMeta file;
  file.type = image::EntryType::kFile;
  EXPECT_TRUE(a.Required("/lib/apk/db/installed", file));
  EXPECT_FALSE(a.Required("/lib/apk/db/installed.bak", file));
  EXPECT_FALSE(a.Required("/lib/apk/db/scripts.tar", file));
  EXPECT_FALSE(a.Required("/usr/lib/apk/db/installed", file));
}

TEST(ApkAnalyzerTest, PackagesAndPurls) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", kAlpineOsRelease)
      .File("/etc/alpine-release", kAlpineRelease)
      .File("/lib/apk/db/installed", kInstalled);
  FakeImage::Output out = img.Run(ApkAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(PackageNames(out.packages),
            (std::vector<std::string>{"alpine-baselayout-data", "ca-certificates-bundle", "musl",
                                      "musl-utils"}));
  Package musl = OnePackage(out.packages, "musl");
  EXPECT_EQ(musl.type, "apk");
  EXPECT_EQ(musl.version, "1.2.4-r2");
  EXPECT_EQ(musl.arch, "x86_64");
  EXPECT_EQ(musl.purl, "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1");
  EXPECT_EQ(musl.db_path, "/lib/apk/db/installed");
  EXPECT_EQ(musl.layer, FakeImage::LayerDigest(0));
  Package utils = OnePackage(out.packages, "musl-utils");
  EXPECT_EQ(utils.source_name, "musl");  // origin
  EXPECT_EQ(utils.source_version, "1.2.4-r2");
  Package data = OnePackage(out.packages, "alpine-baselayout-data");
  EXPECT_EQ(data.source_name, "alpine-baselayout");
  EXPECT_EQ(data.files.front(), "/etc/apk/arch");  // sorted
  Package certs = OnePackage(out.packages, "ca-certificates-bundle");
  EXPECT_EQ(certs.source_name, "ca-certificates-bundle");  // no origin: itself
  EXPECT_EQ(certs.purl,
            "pkg:apk/alpine/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=alpine-3.19.1");
}

TEST(ApkAnalyzerTest, WolfiNamespace) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "ID=wolfi\nNAME=\"Wolfi\"\nVERSION_ID=20230201\n")
      .File("/lib/apk/db/installed", "P:glibc\nV:2.39-r5\nA:x86_64\no:glibc\n");
  FakeImage::Output out = img.Run(ApkAnalyzer());
  EXPECT_EQ(OnePackage(out.packages, "glibc").purl,
            "pkg:apk/wolfi/glibc@2.39-r5?arch=x86_64&distro=wolfi-20230201");
}

TEST(ApkAnalyzerTest, LayerAttribution) {
  std::string base = "P:musl\nV:1.2.4-r1\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n";
  std::string added = base + "\nP:curl\nV:8.5.0-r0\nA:x86_64\n";
  std::string upgraded =
      "P:musl\nV:1.2.4-r2\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n"
      "\nP:curl\nV:8.5.0-r0\nA:x86_64\n";
  FakeImage img;
  img.AddLayer().File("/etc/alpine-release", kAlpineRelease).File("/lib/apk/db/installed", base);
  img.AddLayer().File("/lib/apk/db/installed", added);
  img.AddLayer().File("/lib/apk/db/installed", upgraded);
  FakeImage::Output out = img.Run(ApkAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(OnePackage(out.packages, "busybox").layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(OnePackage(out.packages, "curl").layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(OnePackage(out.packages, "musl").layer, FakeImage::LayerDigest(2));
}

TEST(ApkAnalyzerTest, MalformedDatabaseIsCorruption) {
  FakeImage img;
  img.AddLayer().File("/lib/apk/db/installed", "this is a corrupt db\n\nP:musl\nV:1\n");
  FakeImage::Output out = img.Run(ApkAnalyzer());
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), StatusCode::kCorruption);
  EXPECT_NE(out.status.message().find("/lib/apk/db/installed:1"), std::string_view::npos);
}

TEST(ApkAnalyzerTest, DeletedDatabaseMeansNoPackages) {
  FakeImage img;
  img.AddLayer().File("/lib/apk/db/installed", "P:musl\nV:1\n");
  img.AddLayer().Whiteout("/lib/apk/db/installed");
  FakeImage::Output out = img.Run(ApkAnalyzer());
  EXPECT_TRUE(out.status.ok());
  EXPECT_TRUE(out.packages.empty());
}

// Real databases: each P: line is a package and each R: line one of its files.
TEST(ApkConformanceTest, RealDatabases) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  for (const char* rel :
       {"/osv-scalibr/extractor/filesystem/os/apk/testdata/installed",
        "/syft/syft/pkg/cataloger/alpine/testdata/multiple-2/lib/apk/db/installed",
        "/grype/test/integration/testdata/image-alpine-match-coverage/lib/apk/db/"
        "installed"}) {
    std::string text = ReadFileOrDie(SharedDataDir() + rel);
    size_t p_lines = 0, r_lines = 0;
    ForEachLine(text, [&](std::string_view line) {
      p_lines += line.rfind("P:", 0) == 0;
      r_lines += line.rfind("R:", 0) == 0;
    });
    FakeImage img;
    img.AddLayer().File("/lib/apk/db/installed", text);
    FakeImage::Output out = img.Run(ApkAnalyzer(), OsInfo{"alpine", "3.18.0", ""});
    ASSERT_TRUE(out.status.ok()) << rel << ": " << out.status.ToString();
    EXPECT_EQ(out.packages.size(), p_lines) << rel;
    size_t files = 0;
    for (const Package& p : out.packages) {
      files += p.files.size();
      EXPECT_FALSE(p.version.empty()) << p.name;
      EXPECT_EQ(p.purl.rfind("pkg:apk/alpine/", 0), 0u) << p.purl;
      EXPECT_EQ(p.purl.find('+'), std::string::npos) << p.purl;  // '+' is encoded
    }
    EXPECT_EQ(files, r_lines) << rel;
    std::printf("[ conform  ] %s: %zu packages, %zu files\n", rel, out.packages.size(), files);
  }
}

}  // namespace
}  // namespace bulkhead::pkg
