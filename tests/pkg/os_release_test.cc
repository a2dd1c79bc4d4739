#include "bulkhead/pkg/os_release.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::pkg {
namespace {

using ::bulkhead::testing::FakeImage;
using ::bulkhead::testing::ReadFileOrDie;
using ::bulkhead::testing::SharedDataDir;

// --- ParseOsRelease ---------------------------------------------------------------------

TEST(ParseOsReleaseTest, RealDebianFile) {
  auto kv = ParseOsRelease(
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
      "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"
      "HOME_URL=\"https://www.debian.org/\"\n");
  EXPECT_EQ(kv["PRETTY_NAME"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(kv["VERSION_ID"], "12");
  EXPECT_EQ(kv["VERSION_CODENAME"], "bookworm");
  EXPECT_EQ(kv["ID"], "debian");
  EXPECT_EQ(kv["HOME_URL"], "https://www.debian.org/");
  EXPECT_EQ(kv.size(), 7u);
}

TEST(ParseOsReleaseTest, Quoting) {
  auto kv = ParseOsRelease(
      "A=plain\n"
      "B=\"double quoted\"\n"
      "C='single quoted'\n"
      "D=\"\"\n"
      "E=\n"
      "F='it''s'\n"                  // adjacent quoted strings concatenate
      "G=\"a\"'b'c\n"                // ... quoted and unquoted too
      "H=\"unterminated value\n"     // runs to the end of the line
      "I='no \\escapes \"here\"'\n"  // single quotes are literal
      "J=\"=equals=\"\n");
  EXPECT_EQ(kv["A"], "plain");
  EXPECT_EQ(kv["B"], "double quoted");
  EXPECT_EQ(kv["C"], "single quoted");
  EXPECT_EQ(kv["D"], "");
  EXPECT_EQ(kv["E"], "");
  EXPECT_EQ(kv["F"], "its");
  EXPECT_EQ(kv["G"], "abc");
  EXPECT_EQ(kv["H"], "unterminated value");
  EXPECT_EQ(kv["I"], "no \\escapes \"here\"");
  EXPECT_EQ(kv["J"], "=equals=");
}

TEST(ParseOsReleaseTest, Escapes) {
  // Inside double quotes a backslash escapes only $ ` " and \ (os-release(5), as in sh).
  auto kv = ParseOsRelease(
      "A=\"say \\\"hi\\\"\"\n"
      "B=\"back\\\\slash\"\n"
      "C=\"\\$HOME and \\`cmd\\`\"\n"
      "D=\"C:\\path\\n\"\n"  // other backslashes stay
      "E=unquoted\\ with\\ escapes\n");
  EXPECT_EQ(kv["A"], "say \"hi\"");
  EXPECT_EQ(kv["B"], "back\\slash");
  EXPECT_EQ(kv["C"], "$HOME and `cmd`");
  EXPECT_EQ(kv["D"], "C:\\path\\n");
  EXPECT_EQ(kv["E"], "unquoted with escapes");
}

TEST(ParseOsReleaseTest, CommentsBlanksAndJunk) {
  auto kv = ParseOsRelease(
      "# a comment\n"
      "   # an indented comment\n"
      "\n"
      "ID=alpine   \n"  // unquoted trailing blanks are dropped
      "VERSION_ID=\"3.19.1\"   # a comment after a quoted value\n"
      "no equals sign here\n"
      "=no key\n"
      "  NAME = \"Alpine Linux\"  \n"
      "ID_LIKE=\"\"\r\n"
      "VARIANT_ID=x");  // no trailing newline
  EXPECT_EQ(kv["VERSION_ID"], "3.19.1");
  EXPECT_EQ(kv["NAME"], "Alpine Linux");
  EXPECT_EQ(kv["ID_LIKE"], "");
  EXPECT_EQ(kv["VARIANT_ID"], "x");
  EXPECT_EQ(kv.count(""), 0u);
  EXPECT_EQ(kv.count("no equals sign here"), 0u);
  EXPECT_EQ(kv["ID"], "alpine");
}

TEST(ParseOsReleaseTest, HostileInput) {
  std::string big = "ID=\"" + std::string(1 << 20, 'a') +
                    "\nVERSION_ID=" + std::string(1 << 20, '\\') + "\n" +
                    std::string(1 << 20, '=') + "\n";
  auto kv = ParseOsRelease(big);
  EXPECT_EQ(kv["ID"].size(), 1u << 20);
  EXPECT_EQ(kv["VERSION_ID"].size(), 1u << 19);  // each pair of backslashes is one
  EXPECT_TRUE(ParseOsRelease(std::string("ID=\0x\n", 6)).count("ID"));
  EXPECT_TRUE(ParseOsRelease("\"\n'\n\\\n=\n").empty());
}

TEST(ParseOsReleaseTest, LaterAssignmentWins) {
  auto kv = ParseOsRelease("ID=first\nID=second\n");
  EXPECT_EQ(kv["ID"], "second");
}

// --- DetectOs ---------------------------------------------------------------------------

TEST(DetectOsTest, DebianPointReleaseFromDebianVersion) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nID=debian\n")
      .File("/etc/debian_version", "12.4\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "debian");
  EXPECT_EQ(os.version, "12.4");
  EXPECT_EQ(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(DistroQualifier(os), "debian-12");
}

TEST(DetectOsTest, DebianTestingKeepsTheCodenameOnlyWithoutVersionId) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\n")
      .File("/etc/debian_version", "trixie/sid\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "debian");
  EXPECT_EQ(os.version, "trixie/sid");
}

TEST(DetectOsTest, DebianFromDebianVersionAlone) {
  FakeImage img;
  img.AddLayer().File("/etc/debian_version", "11.9\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "debian");
  EXPECT_EQ(os.version, "11.9");
}

TEST(DetectOsTest, UbuntuIsNotTurnedIntoDebian) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n")
      .File("/etc/debian_version", "bookworm/sid\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "ubuntu");
  EXPECT_EQ(os.version, "22.04");
  EXPECT_EQ(DistroQualifier(os), "ubuntu-22.04");
}

TEST(DetectOsTest, Alpine) {
  FakeImage img;
  img.AddLayer()
      .File("/etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.0\n")
      .File("/etc/alpine-release", "3.19.1\n");  // the more precise file wins
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "alpine");
  EXPECT_EQ(os.version, "3.19.1");
  EXPECT_EQ(DistroQualifier(os), "alpine-3.19.1");
}

TEST(DetectOsTest, AlpineFromAlpineReleaseAlone) {
  FakeImage img;
  img.AddLayer().File("/etc/alpine-release", "3.18.4\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "alpine");
  EXPECT_EQ(os.version, "3.18.4");
}

TEST(DetectOsTest, RockyFromRedhatReleaseOnly) {
  FakeImage img;
  img.AddLayer().File("/etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "rocky");
  EXPECT_EQ(os.version, "9.3");
  EXPECT_EQ(os.pretty_name, "Rocky Linux release 9.3 (Blue Onyx)");
  EXPECT_EQ(DistroQualifier(os), "rocky-9.3");
}

TEST(DetectOsTest, OtherRedhatReleaseLines) {
  struct Case {
    const char* line;
    const char* family;
    const char* version;
  };
  for (const Case& c : {Case{"CentOS Linux release 7.9.2009 (Core)", "centos", "7.9.2009"},
                        Case{"Red Hat Enterprise Linux release 8.9 (Ootpa)", "rhel", "8.9"},
                        Case{"AlmaLinux release 9.3 (Shamrock Pink)", "almalinux", "9.3"},
                        Case{"Fedora release 39 (Thirty Nine)", "fedora", "39"},
                        Case{"Oracle Linux Server release 8.9", "ol", "8.9"}}) {
    FakeImage img;
    img.AddLayer().File("/etc/redhat-release", std::string(c.line) + "\n");
    OsInfo os = img.Os();
    EXPECT_EQ(os.family, c.family) << c.line;
    EXPECT_EQ(os.version, c.version) << c.line;
  }
}

TEST(DetectOsTest, OsReleaseIsASymlinkToUsrLib) {
  FakeImage img;
  img.AddLayer()
      .Dir("/etc")
      .Dir("/usr/lib")
      .File("/usr/lib/os-release",
            "ID=\"rocky\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3\"\n")
      .Symlink("/etc/os-release", "../usr/lib/os-release");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "rocky");
  EXPECT_EQ(os.version, "9.3");
  EXPECT_EQ(os.pretty_name, "Rocky Linux 9.3");
}

TEST(DetectOsTest, UsrLibOsReleaseWhenEtcIsMissing) {
  FakeImage img;
  img.AddLayer().File("/usr/lib/os-release", "ID=fedora\nVERSION_ID=40\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "fedora");
  EXPECT_EQ(os.version, "40");
}

TEST(DetectOsTest, EtcWinsOverUsrLib) {
  FakeImage img;
  img.AddLayer()
      .File("/usr/lib/os-release", "ID=fedora\nVERSION_ID=40\n")
      .File("/etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"9.4\"\n");
  EXPECT_EQ(img.Os().family, "almalinux");
}

TEST(DetectOsTest, ALaterLayerReplacesTheRelease) {
  FakeImage img;
  img.AddLayer().File("/etc/os-release", "ID=alpine\nVERSION_ID=3.18.0\n");
  img.AddLayer().File("/etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
  EXPECT_EQ(img.Os().version, "3.19.1");
}

TEST(DetectOsTest, IdIsLowerCased) {
  FakeImage img;
  img.AddLayer().File("/etc/os-release", "ID=Photon\nVERSION_ID=4.0\n");
  EXPECT_EQ(img.Os().family, "photon");
}

TEST(DetectOsTest, NothingIdentifiesTheOs) {
  FakeImage img;
  img.AddLayer().File("/etc/hostname", "x\n");
  OsInfo os = img.Os();
  EXPECT_EQ(os.family, "");
  EXPECT_EQ(DistroQualifier(os), "");
}

TEST(DistroQualifierTest, Shapes) {
  EXPECT_EQ(DistroQualifier({"debian", "12.4", ""}), "debian-12");
  EXPECT_EQ(DistroQualifier({"debian", "", ""}), "debian");
  EXPECT_EQ(DistroQualifier({"alpine", "3.19.1", ""}), "alpine-3.19.1");
  EXPECT_EQ(DistroQualifier({"ubuntu", "22.04", ""}), "ubuntu-22.04");
  EXPECT_EQ(DistroQualifier({"", "1", ""}), "");
}

// --- Conformance: Trivy's os-release test files -----------------------------------------

// What the file itself says about KEY, read the simplest way: the last "KEY=" line, with
// one pair of surrounding quotes removed. An independent reading to check against.
std::string Naive(const std::string& text, const std::string& key) {
  std::string value;
  ForEachLine(text, [&](std::string_view line) {
    if (line.rfind(key + "=", 0) != 0) return;
    std::string v(line.substr(key.size() + 1));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
      v = v.substr(1, v.size() - 2);
    }
    value = v;
  });
  return value;
}

TEST(OsReleaseConformanceTest, TrivyReleaseFiles) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string dir = SharedDataDir() + "/trivy/pkg/fanal/analyzer/os/release/testdata";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 25u);
  size_t with_id = 0;
  for (const std::string& name : files) {
    std::string text = ReadFileOrDie(dir + "/" + name);
    auto kv = ParseOsRelease(text);
    EXPECT_EQ(kv["ID"], Naive(text, "ID")) << name;
    EXPECT_EQ(kv["VERSION_ID"], Naive(text, "VERSION_ID")) << name;
    with_id += !kv["ID"].empty();
    FakeImage img;
    img.AddLayer().File("/etc/os-release", text);
    OsInfo os = img.Os();
    std::string lowered = kv["ID"];
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(os.family, lowered) << name;
    std::printf("[ os       ] %-22s ID=%-20s VERSION_ID=%-10s -> %s\n", name.c_str(),
                kv["ID"].c_str(), kv["VERSION_ID"].c_str(),
                os.family.empty() ? "(unknown)" : DistroQualifier(os).c_str());
  }
  std::printf("[ os       ] %zu files, %zu with an ID\n", files.size(), with_id);

  struct Exact {
    const char* file;
    const char* family;
    const char* version;
  };
  for (const Exact& e : {Exact{"alpine", "alpine", "3.15.4"}, Exact{"rocky", "rocky", "9.3"},
                         Exact{"alma", "almalinux", "9.4"}, Exact{"oracle", "ol", "8.10"},
                         Exact{"opensuseleap-15.2.1", "opensuse-leap", "15.2.1"},
                         Exact{"centos-stream", "centos", "8"}, Exact{"sles", "sles", "15.3"},
                         Exact{"no-version", "alpine", ""}, Exact{"no-id", "", nullptr},
                         Exact{"unknown", "unknown", "4.3.2"}}) {
    FakeImage img;
    img.AddLayer().File("/etc/os-release", ReadFileOrDie(dir + "/" + e.file));
    OsInfo os = img.Os();
    EXPECT_EQ(os.family, e.family) << e.file;
    if (e.version) {
      EXPECT_EQ(os.version, e.version) << e.file;
    }
  }
}

}  // namespace
}  // namespace bulkhead::pkg
