#include "bulkhead/pkg/dpkg_analyzer.h"

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

// Shaped like a real Debian 12 /var/lib/dpkg/status (fields trimmed, order kept).
constexpr std::string_view kStatus = R"(Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Replaces: libc6-amd64
Depends: libgcc-s1
Recommends: libidn2-0 (>= 2.0.5~)
Breaks: aide (<< 0.17.3-4+b3), busybox (<< 1.30.1-6),
 hurd (<< 1:0.9.git20220301-2)
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
 .
 Package: not-a-package
 Version: 6.6.6
Homepage: https://www.gnu.org/software/libc/libc.html

Package: openssl
Status: install ok installed
Priority: optional
Section: utils
Installed-Size: 2293
Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
Architecture: amd64
Version: 3.0.11-1~deb12u2
Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)
Suggests: ca-certificates
Conffiles:
 /etc/ssl/openssl.cnf 6b4a72a4ce84bab35d884e536295e14f
Description: Secure Sockets Layer toolkit - cryptographic utility
 This package is part of the OpenSSL project's implementation of the SSL
 and TLS cryptographic protocols for secure communication over the
 Internet.
Homepage: https://www.openssl.org/

Package: bash
Essential: yes
Status: install ok installed
Priority: required
Section: shells
Installed-Size: 7163
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 5.2.15-2+b2
Source: bash (5.2.15-2)
Replaces: bash-completion (<< 20060301-0), bash-doc (<= 2.05-1)
Pre-Depends: libc6 (>= 2.36), libtinfo6 (>= 6)
Description: GNU Bourne Again SHell
 Bash is an sh-compatible command language interpreter.
)";

const DpkgStanza* Find(const std::vector<DpkgStanza>& stanzas, std::string_view name) {
  for (const DpkgStanza& s : stanzas) {
    if (s.package == name) return &s;
  }
  return nullptr;
}

std::string Stanza(std::string_view name, std::string_view status, std::string_view version,
                   std::string_view extra = "") {
  std::string s = "Package: " + std::string(name) + "\n";
  if (!status.empty()) s += "Status: " + std::string(status) + "\n";
  s += "Architecture: amd64\nVersion: " + std::string(version) + "\n" + std::string(extra);
  return s + "Description: test package\n " + std::string(name) + " for tests\n\n";
}

// --- ParseDpkgStatus --------------------------------------------------------------------

TEST(ParseDpkgStatusTest, RealShapedStanzas) {
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(kStatus, "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  const DpkgStanza& libc = (*r)[0];
  EXPECT_EQ(libc.package, "libc6");
  EXPECT_EQ(libc.status, "install ok installed");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.architecture, "amd64");
  EXPECT_EQ(libc.source, "glibc");
  EXPECT_EQ(libc.multi_arch, "same");
  const DpkgStanza& openssl = (*r)[1];
  EXPECT_EQ(openssl.package, "openssl");
  EXPECT_EQ(openssl.version, "3.0.11-1~deb12u2");
  EXPECT_EQ(openssl.source, "");
  EXPECT_EQ(openssl.multi_arch, "");
  const DpkgStanza& bash = (*r)[2];
  EXPECT_EQ(bash.version, "5.2.15-2+b2");
  EXPECT_EQ(bash.source, "bash (5.2.15-2)");
  EXPECT_EQ(bash.multi_arch, "foreign");
}

TEST(ParseDpkgStatusTest, ContinuationLinesThatLookLikeFieldsAreNotStanzas) {
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(kStatus, "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Find(*r, "not-a-package"), nullptr);
  EXPECT_EQ(Find(*r, "libc6")->version, "2.36-9+deb12u4");  // not "6.6.6"
  // A tab-indented continuation is a continuation too.
  Result<std::vector<DpkgStanza>> tab = ParseDpkgStatus(
      "Package: a\nVersion: 1\nDescription: x\n\tPackage: b\n\tVersion: 2\n", "status");
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  ASSERT_EQ(tab->size(), 1u);
  EXPECT_EQ((*tab)[0].version, "1");
}

TEST(ParseDpkgStatusTest, FieldValuesAreTrimmedAndColonsInValuesKept) {
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(
      "Package:   tzdata  \nVersion:1:2021a-1+deb11u8\t\nArchitecture: all\n", "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].package, "tzdata");
  EXPECT_EQ((*r)[0].version, "1:2021a-1+deb11u8");
}

TEST(ParseDpkgStatusTest, StatusIsKeptAsWritten) {
  std::string text = Stanza("a", "install ok installed", "1") +
                     Stanza("b", "deinstall ok config-files", "1") +
                     Stanza("c", "purge ok not-installed", "1") + Stanza("d", "", "1");
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(text, "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);  // filtering is the analyzer's business
  EXPECT_EQ(Find(*r, "b")->status, "deinstall ok config-files");
  EXPECT_EQ(Find(*r, "c")->status, "purge ok not-installed");
  EXPECT_EQ(Find(*r, "d")->status, "");
}

TEST(ParseDpkgStatusTest, CrlfParsesLikeLf) {
  std::string crlf;
  for (char c : kStatus) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  Result<std::vector<DpkgStanza>> lf = ParseDpkgStatus(kStatus, "status");
  Result<std::vector<DpkgStanza>> cr = ParseDpkgStatus(crlf, "status");
  ASSERT_TRUE(lf.ok() && cr.ok()) << cr.status().ToString();
  ASSERT_EQ(cr->size(), lf->size());
  for (size_t i = 0; i < lf->size(); ++i) {
    EXPECT_EQ((*cr)[i].package, (*lf)[i].package);
    EXPECT_EQ((*cr)[i].status, (*lf)[i].status);
    EXPECT_EQ((*cr)[i].version, (*lf)[i].version);
    EXPECT_EQ((*cr)[i].architecture, (*lf)[i].architecture);
    EXPECT_EQ((*cr)[i].source, (*lf)[i].source);
  }
}

TEST(ParseDpkgStatusTest, SeparatorsAndMissingTrailingNewline) {
  Result<std::vector<DpkgStanza>> r =
      ParseDpkgStatus("\n\nPackage: a\nVersion: 1\n\n\n \t \nPackage: b\nVersion: 2", "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].package, "b");
  EXPECT_EQ((*r)[1].version, "2");
  Result<std::vector<DpkgStanza>> empty = ParseDpkgStatus("", "status");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ParseDpkgStatusTest, StanzaWithoutPackageIsDropped) {
  Result<std::vector<DpkgStanza>> r =
      ParseDpkgStatus("Version: 1\nStatus: install ok installed\n\nPackage: b\n", "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].package, "b");
}

TEST(ParseDpkgStatusTest, MalformedLineIsCorruptionNamingFileAndLine) {
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(
      "Package: a\nVersion: 1\n\nPackage: b\nthis line has no colon\n", "/var/lib/dpkg/status");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kCorruption);
  EXPECT_NE(r.error().message().find("/var/lib/dpkg/status:5"), std::string_view::npos)
      << r.error().message();
  Result<std::vector<DpkgStanza>> colon_first = ParseDpkgStatus(": value\n", "f");
  ASSERT_FALSE(colon_first.ok());
  EXPECT_NE(colon_first.error().message().find("f:1"), std::string_view::npos);
}

TEST(ParseDpkgStatusTest, AMalformedStanzaIsDroppedAndTheOthersKept) {
  Status problem;
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(
      "Package: a\nVersion: 1\n\nPackage: b\nthis line has no colon\nVersion: 2\n\n"
      "Package: c\nVersion: 3\n\n continued from nowhere\n\nPackage: d\nVersion: 4\n",
      "/var/lib/dpkg/status", 200'000, &problem);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].package, "a");
  EXPECT_EQ((*r)[1].package, "c");
  EXPECT_EQ((*r)[2].package, "d");
  EXPECT_EQ(problem.code(), StatusCode::kCorruption);
  EXPECT_NE(problem.message().find("/var/lib/dpkg/status:5"), std::string_view::npos)
      << problem.message();
}

TEST(ParseDpkgStatusTest, ContinuationOutsideAStanzaIsCorruption) {
  Result<std::vector<DpkgStanza>> r =
      ParseDpkgStatus("Package: a\n\n continued from nowhere\n", "status");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kCorruption);
  EXPECT_NE(r.error().message().find("status:3"), std::string_view::npos) << r.error().message();
}

TEST(ParseDpkgStatusTest, TooManyStanzasIsResourceExhausted) {
  std::string three = "Package: a\n\nPackage: b\n\nPackage: c\n";
  Result<std::vector<DpkgStanza>> at_limit = ParseDpkgStatus(three, "status", 3);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_EQ(at_limit->size(), 3u);
  // Over the limit, whether or not the last stanza is followed by a blank line.
  for (std::string text : {three, three + "\n", three + "\nPackage: d\n"}) {
    Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(text, "status", 2);
    ASSERT_FALSE(r.ok()) << "no error for " << text.size() << " bytes";
    EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(r.error().message().find("status"), std::string_view::npos);
  }
}

TEST(ParseDpkgStatusTest, MebibyteLineIsFine) {
  std::string text = "Package: big\nVersion: 1\nDescription: " + std::string(1 << 20, 'x') + "\n " +
                     std::string(1 << 20, 'y') + "\n";
  Result<std::vector<DpkgStanza>> r = ParseDpkgStatus(text, "status");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].version, "1");
}

// --- DpkgAnalyzer ----------------------------------------------------------------------

FakeImage& Debian12(FakeImage& img) {
  return img
      .File("/etc/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
            "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n")
      .File("/etc/debian_version", "12.4\n");
}

TEST(DpkgAnalyzerTest, RequiredPaths) {
  DpkgAnalyzer a;
  image::FileMeta file;
  file.type = image::EntryType::kFile;
  image::FileMeta dir;
  dir.type = image::EntryType::kDirectory;
  for (const char* p : {"/var/lib/dpkg/status", "/var/lib/dpkg/status.d/libc6",
                        "/var/lib/dpkg/status.d/libc6.md5sums", "/var/lib/dpkg/info/libc6.list",
                        "/var/lib/dpkg/info/libc6:amd64.list"}) {
    EXPECT_TRUE(a.Required(p, file)) << p;
  }
  for (const char* p : {"/var/lib/dpkg/status-old", "/var/lib/dpkg/info/libc6.md5sums",
                        "/var/lib/dpkg/info/sub/x.list", "/var/lib/dpkg/status.d/sub/x",
                        "/usr/var/lib/dpkg/status", "/var/lib/dpkg/available"}) {
    EXPECT_FALSE(a.Required(p, file)) << p;
  }
  EXPECT_FALSE(a.Required("/var/lib/dpkg/status", dir));
  EXPECT_FALSE(a.Required("/var/lib/dpkg/status.d/x", dir));
}

TEST(DpkgAnalyzerTest, RealShapedStatus) {
  FakeImage img;
  Debian12(img.AddLayer()).File("/var/lib/dpkg/status", kStatus);
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.diagnostics.empty());
  EXPECT_EQ(PackageNames(out.packages), (std::vector<std::string>{"bash", "libc6", "openssl"}));
  Package openssl = OnePackage(out.packages, "openssl");
  EXPECT_EQ(openssl.type, "deb");
  EXPECT_EQ(openssl.version, "3.0.11-1~deb12u2");
  EXPECT_EQ(openssl.arch, "amd64");
  EXPECT_EQ(openssl.purl, "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
  EXPECT_EQ(openssl.db_path, "/var/lib/dpkg/status");
  EXPECT_EQ(openssl.layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(openssl.epoch, "");  // deb epochs live in the version and the purl qualifier
}

TEST(DpkgAnalyzerTest, OnlyInstalledStatusesCount) {
  std::string text = Stanza("ii", "install ok installed", "1") +
                     Stanza("held", "hold ok installed", "1") +
                     Stanza("trig", "install ok triggers-pending", "1") +
                     Stanza("removed", "deinstall ok config-files", "1") +
                     Stanza("purged", "purge ok not-installed", "1") +
                     Stanza("want-remove", "deinstall ok installed", "1") +
                     Stanza("unpacked", "install ok unpacked", "1") +
                     Stanza("half", "install reinstreq half-installed", "1") +
                     Stanza("halfconf", "install ok half-configured", "1") +
                     Stanza("nostatus", "", "1") + Stanza("garbled", "installed", "1");
  FakeImage img;
  Debian12(img.AddLayer()).File("/var/lib/dpkg/status", text);
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(PackageNames(out.packages), (std::vector<std::string>{"held", "ii", "trig"}));
}

TEST(DpkgAnalyzerTest, SourceNameAndVersion) {
  std::string text =
      Stanza("openssl", "install ok installed", "3.0.11-1~deb12u2") +
      Stanza("libc6", "install ok installed", "2.36-9+deb12u4", "Source: glibc\n") +
      Stanza("bash", "install ok installed", "5.2.15-2+b2", "Source: bash (5.2.15-2)\n") +
      Stanza("libssl3", "install ok installed", "3.0.11-1~deb12u2",
             "Source:   openssl   ( 3.0.11-1~deb12u2 )  \n");
  FakeImage img;
  Debian12(img.AddLayer()).File("/var/lib/dpkg/status", text);
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  Package openssl = OnePackage(out.packages, "openssl");  // no Source: itself
  EXPECT_EQ(openssl.source_name, "openssl");
  EXPECT_EQ(openssl.source_version, "3.0.11-1~deb12u2");
  Package libc = OnePackage(out.packages, "libc6");  // Source without version
  EXPECT_EQ(libc.source_name, "glibc");
  EXPECT_EQ(libc.source_version, "2.36-9+deb12u4");
  Package bash = OnePackage(out.packages, "bash");  // binNMU: +b2 is binary-only
  EXPECT_EQ(bash.version, "5.2.15-2+b2");
  EXPECT_EQ(bash.source_name, "bash");
  EXPECT_EQ(bash.source_version, "5.2.15-2");
  EXPECT_EQ(bash.purl, "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12");
  Package libssl = OnePackage(out.packages, "libssl3");
  EXPECT_EQ(libssl.source_name, "openssl");
  EXPECT_EQ(libssl.source_version, "3.0.11-1~deb12u2");
}

TEST(DpkgAnalyzerTest, EpochGoesToAQualifier) {
  FakeImage img;
  Debian12(img.AddLayer())
      .File("/var/lib/dpkg/status",
            Stanza("tzdata", "install ok installed", "1:2024a-0+deb12u1", "Source: tzdata\n"));
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  Package p = OnePackage(out.packages, "tzdata");
  EXPECT_EQ(p.version, "1:2024a-0+deb12u1");  // the full dpkg version, for matching
  EXPECT_EQ(p.source_version, "1:2024a-0+deb12u1");
  EXPECT_EQ(p.purl, "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=amd64&distro=debian-12&epoch=1");
}

TEST(DpkgAnalyzerTest, UbuntuNamespaceAndDistro) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\n")
      .File("/etc/debian_version", "bookworm/sid\n")
      .File("/var/lib/dpkg/status",
            Stanza("zlib1g", "install ok installed", "1:1.2.11.dfsg-2ubuntu9.2", "Source: zlib\n"));
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  EXPECT_EQ(OnePackage(out.packages, "zlib1g").purl,
            "pkg:deb/ubuntu/zlib1g@1.2.11.dfsg-2ubuntu9.2?arch=amd64&distro=ubuntu-22.04&epoch=1");
}

TEST(DpkgAnalyzerTest, UnknownOsKeepsTheDebianNamespaceWithoutDistro) {
  FakeImage img;
  img.AddLayer().File("/var/lib/dpkg/status", Stanza("a", "install ok installed", "1.0-1"));
  FakeImage::Output out = img.Run(DpkgAnalyzer(), OsInfo());
  EXPECT_EQ(OnePackage(out.packages, "a").purl, "pkg:deb/debian/a@1.0-1?arch=amd64");
}

TEST(DpkgAnalyzerTest, LayerAttributionAcrossLayers) {
  std::string base = Stanza("base-files", "install ok installed", "12.4+deb12u4") +
                     Stanza("libc6", "install ok installed", "2.36-9+deb12u3");
  std::string with_curl = base + Stanza("curl", "install ok installed", "7.88.1-10+deb12u5");
  std::string upgraded = Stanza("base-files", "install ok installed", "12.4+deb12u4") +
                         Stanza("libc6", "install ok installed", "2.36-9+deb12u4") +
                         Stanza("curl", "install ok installed", "7.88.1-10+deb12u5");
  FakeImage img;
  Debian12(img.AddLayer()).File("/var/lib/dpkg/status", base);  // layer 0
  img.AddLayer().File("/var/lib/dpkg/status", with_curl);       // layer 1: adds curl
  img.AddLayer().File("/etc/motd", "hi\n");                     // layer 2: no dpkg change
  img.AddLayer().File("/var/lib/dpkg/status", upgraded);        // layer 3: upgrades libc6
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.packages.size(), 3u);
  EXPECT_EQ(OnePackage(out.packages, "base-files").layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(OnePackage(out.packages, "curl").layer, FakeImage::LayerDigest(1));
  Package libc = OnePackage(out.packages, "libc6");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.layer, FakeImage::LayerDigest(3));
}

TEST(DpkgAnalyzerTest, RemovedThenReinstalledBelongsToTheReinstallingLayer) {
  std::string a = Stanza("a", "install ok installed", "1");
  std::string b = Stanza("b", "install ok installed", "1");
  std::string b_removed = Stanza("b", "deinstall ok config-files", "1");
  FakeImage img;
  img.AddLayer().File("/var/lib/dpkg/status", a + b);
  img.AddLayer().File("/var/lib/dpkg/status", a + b_removed);
  img.AddLayer().File("/var/lib/dpkg/status", a + b);
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  EXPECT_EQ(OnePackage(out.packages, "a").layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(OnePackage(out.packages, "b").layer, FakeImage::LayerDigest(2));
}

TEST(DpkgAnalyzerTest, DistrolessStatusD) {
  std::string base_files =
      "Package: base-files\nPriority: required\nSection: admin\nMaintainer: Santiago Vila "
      "<sanvila@debian.org>\nArchitecture: amd64\nMulti-Arch: foreign\nVersion: 12.4+deb12u5\n"
      "Description: Debian base system miscellaneous files\n";
  std::string libssl =
      "Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\n"
      "Architecture: amd64\nDescription: Secure Sockets Layer toolkit\n";
  std::string removed =
      "Package: oldpkg\nStatus: deinstall ok config-files\nVersion: 1\n"
      "Architecture: amd64\n";
  FakeImage img;
  Debian12(img.AddLayer())
      .File("/var/lib/dpkg/status.d/base", base_files)
      .File("/var/lib/dpkg/status.d/base.md5sums",
            "5b8e2f1ad30b8ea8a4d2b8e4e4c4a1a2  usr/share/doc/base-files/copyright\n")
      .File("/var/lib/dpkg/status.d/oldpkg", removed);
  img.AddLayer()
      .File("/var/lib/dpkg/status.d/libssl3", libssl)
      .File("/var/lib/dpkg/status.d/libssl3.md5sums", "0123  usr/lib/libssl.so.3\n");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;  // md5sums are skipped
  EXPECT_EQ(PackageNames(out.packages), (std::vector<std::string>{"base-files", "libssl3"}));
  Package base = OnePackage(out.packages, "base-files");
  EXPECT_EQ(base.layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(base.db_path, "/var/lib/dpkg/status.d/base");
  Package ssl = OnePackage(out.packages, "libssl3");
  EXPECT_EQ(ssl.layer, FakeImage::LayerDigest(1));
  EXPECT_EQ(ssl.source_name, "openssl");
  EXPECT_EQ(ssl.purl, "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
}

TEST(DpkgAnalyzerTest, StatusDDeletedByALaterLayerIsGone) {
  FakeImage img;
  img.AddLayer().File("/var/lib/dpkg/status.d/a", "Package: a\nVersion: 1\n");
  img.AddLayer().Whiteout("/var/lib/dpkg/status.d/a");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  EXPECT_TRUE(out.packages.empty());
}

TEST(DpkgAnalyzerTest, MalformedStatusDIsADiagnosticAndTheRestIsRead) {
  FakeImage img;
  img.AddLayer()
      .File("/var/lib/dpkg/status.d/good", "Package: good\nVersion: 1\nArchitecture: all\n")
      .File("/var/lib/dpkg/status.d/bad", "Package: bad\nno colon here\n");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  EXPECT_TRUE(out.status.ok());
  EXPECT_EQ(PackageNames(out.packages), (std::vector<std::string>{"good"}));
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].path, "/var/lib/dpkg/status.d/bad");
  EXPECT_NE(out.diagnostics[0].message.find("/var/lib/dpkg/status.d/bad:2"), std::string::npos)
      << out.diagnostics[0].message;
}

TEST(DpkgAnalyzerTest, MalformedFinalStatusIsCorruption) {
  FakeImage img;
  img.AddLayer().File("/var/lib/dpkg/status", std::string(kStatus) + "\nPackage: x\ngarbage\n");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), StatusCode::kCorruption);
  EXPECT_NE(out.status.message().find("/var/lib/dpkg/status:"), std::string_view::npos)
      << out.status.message();
}

TEST(DpkgAnalyzerTest, FileListsFromInfo) {
  std::string text =
      Stanza("bash", "install ok installed", "5.2.15-2+b2") +
      Stanza("libc6", "install ok installed", "2.36-9+deb12u4", "Multi-Arch: same\n");
  FakeImage img;
  Debian12(img.AddLayer())
      .Dir("/usr")
      .Dir("/usr/bin")
      .Dir("/usr/share")
      .Dir("/usr/share/doc")
      .Dir("/usr/share/doc/bash")
      .File("/usr/bin/bash", "ELF")
      .Symlink("/usr/bin/rbash", "bash")
      .File("/var/lib/dpkg/status", text)
      .File("/var/lib/dpkg/info/bash.list",
            "/.\n/usr\n/usr/bin\n/usr/bin/bash\n/usr/share\n/usr/share/doc\n"
            "/usr/share/doc/bash\n/usr/share/doc/bash/README\n/usr/bin/rbash\n/usr/bin/bash\n")
      .File("/var/lib/dpkg/info/libc6:amd64.list",
            "/.\r\n/usr\r\n/usr/lib/x86_64-linux-gnu/libc.so.6\r\n");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  // Directories present as directories are left out; everything else is kept (files the
  // image no longer has too), sorted and without duplicates.
  EXPECT_EQ(
      OnePackage(out.packages, "bash").files,
      (std::vector<std::string>{"/usr/bin/bash", "/usr/bin/rbash", "/usr/share/doc/bash/README"}));
  EXPECT_EQ(OnePackage(out.packages, "libc6").files,
            (std::vector<std::string>{"/usr/lib/x86_64-linux-gnu/libc.so.6"}));
}

TEST(DpkgAnalyzerTest, MultiArchSamePackageTwice) {
  std::string text = Stanza("libc6", "install ok installed", "2.36-9", "Multi-Arch: same\n");
  std::string i386 = text;
  i386.replace(i386.find("amd64"), 5, "i386");
  FakeImage img;
  Debian12(img.AddLayer())
      .File("/var/lib/dpkg/status", text + i386)
      .File("/var/lib/dpkg/info/libc6:amd64.list", "/lib/x86_64-linux-gnu/libc.so.6\n")
      .File("/var/lib/dpkg/info/libc6:i386.list", "/lib/i386-linux-gnu/libc.so.6\n");
  FakeImage::Output out = img.Run(DpkgAnalyzer());
  ASSERT_EQ(out.packages.size(), 2u);
  EXPECT_EQ(OnePackage(out.packages, "libc6", "amd64").files,
            (std::vector<std::string>{"/lib/x86_64-linux-gnu/libc.so.6"}));
  EXPECT_EQ(OnePackage(out.packages, "libc6", "i386").files,
            (std::vector<std::string>{"/lib/i386-linux-gnu/libc.so.6"}));
  EXPECT_EQ(OnePackage(out.packages, "libc6", "i386").purl,
            "pkg:deb/debian/libc6@2.36-9?arch=i386&distro=debian-12");
}

// --- Conformance with real databases from other scanners' test data ---------------------

TEST(DpkgConformanceTest, ScalibrStatusFiles) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir =
      SharedDataDir() + "/osv-scalibr/extractor/filesystem/os/dpkg/testdata/dpkg/";
  struct Case {
    const char* file;
    std::vector<std::string> installed;  // empty: only count
    size_t count;
  };
  for (const Case& c : {Case{"valid", {}, 7}, Case{"statusfield", {"wantinstall_installed"}, 1},
                        Case{"trailingnewlines", {}, 0}}) {
    std::string text = ReadFileOrDie(dir + c.file);
    // The oracle for counts: stanzas whose Status reads "install ok installed".
    size_t expected = c.count;
    if (expected == 0) {
      for (size_t at = 0;
           (at = text.find("\nStatus: install ok installed", at)) != std::string::npos; ++at) {
        ++expected;
      }
      if (text.rfind("Status: install ok installed", 0) == 0) ++expected;
    }
    FakeImage img;
    img.AddLayer().File("/var/lib/dpkg/status", text);
    FakeImage::Output out = img.Run(DpkgAnalyzer());
    ASSERT_TRUE(out.status.ok()) << c.file << ": " << out.status.ToString();
    EXPECT_EQ(out.packages.size(), expected) << c.file;
    if (!c.installed.empty()) {
      EXPECT_EQ(PackageNames(out.packages), c.installed) << c.file;
    }
    std::printf("[ conform  ] scalibr dpkg/%s: %zu installed packages\n", c.file,
                out.packages.size());
  }
}

TEST(DpkgConformanceTest, SyftStatusDFiles) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir =
      SharedDataDir() + "/syft/syft/pkg/cataloger/debian/testdata/var/lib/dpkg/status.d/";
  FakeImage img;
  for (const char* name : {"single", "deinstall", "coreutils-relationships", "corrupt"}) {
    img.File(std::string("/var/lib/dpkg/status.d/") + name, ReadFileOrDie(dir + name));
  }
  FakeImage::Output out = img.Run(DpkgAnalyzer(), OsInfo{"debian", "12", ""});
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  // "corrupt" has a line without a colon: one diagnostic naming it, the others read.
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].path, "/var/lib/dpkg/status.d/corrupt");
  EXPECT_EQ(OnePackage(out.packages, "apt").source_name, "apt-dev");
  EXPECT_EQ(OnePackage(out.packages, "linux-image-6.14.0-1012-aws").source_name,
            "linux-signed-aws-6.14");
  EXPECT_TRUE(::bulkhead::testing::FindPackages(out.packages, "linux-image-6.8.0-1029-aws")
                  .empty());  // "deinstall ok config-files"
  EXPECT_EQ(OnePackage(out.packages, "libacl1").source_name, "acl");
  std::printf("[ conform  ] syft status.d: %zu packages\n", out.packages.size());
}

}  // namespace
}  // namespace bulkhead::pkg
