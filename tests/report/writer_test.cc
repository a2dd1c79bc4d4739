#include "bulkhead/report/writer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/testing/test_util.h"

namespace bulkhead::report {
namespace {

using Json = nlohmann::json;
using ::bulkhead::testing::SharedDataDir;
using ::bulkhead::testing::TempDir;

const std::string kImageDigest =
    "sha256:5b0c4a3ae8a44b0a6c1f8b5e3a9f0c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const std::string kLayer1 =
    "sha256:1111111111111111111111111111111111111111111111111111111111111111";
const std::string kLayer2 =
    "sha256:2222222222222222222222222222222222222222222222222222222222222222";

Package MakePackage(std::string type, std::string name, std::string version, std::string purl,
                    std::string layer) {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = p.name;
  p.source_version = p.version;
  p.arch = "amd64";
  p.purl = std::move(purl);
  p.layer = std::move(layer);
  p.db_path = "/var/lib/dpkg/status";
  return p;
}

// A report with a bit of everything, including the awkward cases: two packages with one
// purl, an rpm with an epoch, findings of every kind, every control status.
Report MakeReport() {
  Report r;
  r.target.name = "oci:./images/app:1.0";
  r.target.kind = "image";
  r.target.digest = kImageDigest;
  r.target.config_digest =
      "sha256:c0ffee0000000000000000000000000000000000000000000000000000000000";
  r.target.architecture = "amd64";
  r.target.os_name = "linux";
  r.target.created = "2024-03-01T12:34:56.123456789Z";
  r.target.repo_tags = {"registry.example/app:1.0"};
  r.target.os = {"debian", "12.4", "Debian GNU/Linux 12 (bookworm)"};
  r.layers.push_back({kLayer1, kLayer1, "application/vnd.oci.image.layer.v1.tar+gzip", 29123456,
                      "/bin/sh -c #(nop) ADD file:abc in / "});
  r.layers.push_back({kLayer2, kLayer2, "application/vnd.oci.image.layer.v1.tar+zstd", 1024,
                      "RUN apt-get install -y openssl"});

  Package openssl =
      MakePackage("deb", "openssl", "3.0.11-1~deb12u2",
                  "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", kLayer2);
  openssl.files = {"/usr/bin/openssl"};
  r.packages.push_back(openssl);
  Package libc =
      MakePackage("deb", "libc6", "2.36-9+deb12u4",
                  "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", kLayer1);
  libc.source_name = "glibc";
  libc.files = {"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"};
  r.packages.push_back(libc);
  // The same package in two databases: same purl, different db_path.
  Package dup1 =
      MakePackage("deb", "base-files", "12.4+deb12u5",
                  "pkg:deb/debian/base-files@12.4%2Bdeb12u5?arch=amd64&distro=debian-12", kLayer1);
  Package dup2 = dup1;
  dup2.db_path = "/var/lib/dpkg/status.d/base-files";
  Package dup3 = dup1;
  dup3.db_path = "/var/lib/dpkg/status.d/base";
  r.packages.push_back(dup1);
  r.packages.push_back(dup2);
  r.packages.push_back(dup3);
  Package rpm = MakePackage("rpm", "nodejs", "1:18.19.0-1.module+el8.9.0+20473+c4e3d07c",
                            "pkg:rpm/rocky/nodejs@18.19.0-1.module%2Bel8.9.0%2B20473%2Bc4e3d07c"
                            "?arch=x86_64&distro=rocky-8.9&epoch=1",
                            kLayer2);
  rpm.arch = "x86_64";
  rpm.epoch = "1";
  rpm.modularity_label = "nodejs:18:8090020231019152822:a75119d5";
  rpm.db_path = "/var/lib/rpm/rpmdb.sqlite";
  r.packages.push_back(rpm);

  Finding vuln;
  vuln.id = "CVE-2023-5678";
  vuln.kind = FindingKind::kVulnerability;
  vuln.severity = Severity::kMedium;
  vuln.title = "openssl: Generating excessively long X9.42 DH keys";
  vuln.layer = kLayer2;
  vuln.package =
      PackageRef{"openssl", "3.0.11-1~deb12u2", openssl.purl, "openssl", "3.0.11-1~deb12u2"};
  vuln.installed_version = "3.0.11-1~deb12u2";
  vuln.fixed_version = "3.0.13-1~deb12u1";
  vuln.status = "fixed";
  vuln.status_note = "resolved";
  vuln.aliases = {"DSA-5000-1"};
  vuln.cvss = CvssScore{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3};
  vuln.severity_source = "cvss:3.1";
  vuln.controls = {"4.1.1"};
  vuln.references = {"https://security-tracker.debian.org/tracker/CVE-2023-5678"};
  r.findings.push_back(vuln);
  Finding secret;
  secret.id = "aws-access-key-id";
  secret.kind = FindingKind::kSecret;
  secret.severity = Severity::kCritical;
  secret.title = "AWS access key ID";
  secret.path = "/app/.env";
  secret.line = 3;
  secret.layer = kLayer2;
  secret.controls = {"4.1.4"};
  r.findings.push_back(secret);
  Finding misconf;
  misconf.id = "KSV001";
  misconf.kind = FindingKind::kMisconfiguration;
  misconf.severity = Severity::kLow;
  misconf.title = "Process can elevate its own privileges";
  misconf.object = "Deployment/default/web";
  r.findings.push_back(misconf);

  r.controls.push_back({"4.1.1", "Image vulnerabilities", ControlStatus::kFail, {"CVE-2023-5678"}});
  r.controls.push_back({"4.1.2", "Image configuration defects", ControlStatus::kPass, {}});
  r.controls.push_back({"4.1.3", "Embedded malware", ControlStatus::kNotAssessed, {}});
  r.diagnostics.push_back({kLayer1, "/var/lib/dpkg/status.d/bad", "dpkg",
                           "/var/lib/dpkg/status.d/bad:2: expected 'Field: value'"});
  r.Sort();
  return r;
}

// A directory scan with nothing found: no digest, no layers, no OS.
Report MakeEmptyReport() {
  Report r;
  r.target.name = "rootfs:/";
  r.target.kind = "rootfs";
  return r;
}

std::string Write(void (*writer)(const Report&, const WriteOptions&, std::ostream&),
                  const Report& report, WriteOptions options = {}) {
  std::ostringstream out;
  writer(report, options, out);
  return out.str();
}

using ::bulkhead::testing::RunCommand;

// Validates `document` against `schema` with scripts/validate_json_schema.py. Skips the
// calling test (returns false) when python3 or jsonschema is not there.
struct Validation {
  bool ran = false;
  bool valid = false;
  std::string log;
};
Validation ValidateJson(const std::string& schema, const std::string& document) {
  Validation v;
  TempDir dir;
  std::string file = dir.WriteFile("document.json", document);
  const std::string script = std::string(BULKHEAD_TESTDATA) + "/../scripts/validate_json_schema.py";
  int status = 0;
  v.log = RunCommand("python3 '" + script + "' '" + schema + "' '" + file + "' 2>&1", &status);
  v.ran = status == 0 || status == 1;
  v.valid = status == 0;
  return v;
}

#define EXPECT_VALID_JSON(schema, document)                                        \
  do {                                                                             \
    Validation v_ = ValidateJson((schema), (document));                            \
    if (!v_.ran) GTEST_SKIP() << "the schema validator could not run: " << v_.log; \
    EXPECT_TRUE(v_.valid) << "not valid against " << (schema) << ":\n" << v_.log;  \
  } while (0)

const WriteOptions kOptions;

// --- Formats and determinism -------------------------------------------------------------

TEST(ParseFormatTest, Names) {
  EXPECT_EQ(*ParseFormat("table"), Format::kTable);
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  EXPECT_EQ(*ParseFormat("cyclonedx"), Format::kCycloneDx);
  EXPECT_EQ(*ParseFormat("cdx"), Format::kCycloneDx);
  EXPECT_EQ(*ParseFormat("spdx"), Format::kSpdx);
  EXPECT_EQ(*ParseFormat("spdx-json"), Format::kSpdx);
  Result<Format> bad = ParseFormat("sarif2");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("sarif2"), std::string_view::npos);
}

TEST(WriterTest, SameReportSameBytes) {
  for (Format f : {Format::kTable, Format::kJson, Format::kCycloneDx, Format::kSpdx}) {
    for (bool color : {false, true}) {
      WriteOptions options;
      options.color = color;
      options.package_files = color;
      std::ostringstream a, b;
      ASSERT_TRUE(WriteReport(MakeReport(), f, options, a).ok());
      ASSERT_TRUE(WriteReport(MakeReport(), f, options, b).ok());
      EXPECT_FALSE(a.str().empty());
      EXPECT_EQ(a.str(), b.str()) << "format " << static_cast<int>(f);
    }
  }
}

TEST(WriterTest, PackageOrderOfTheInputDoesNotMatterOnceSorted) {
  Report a = MakeReport();
  Report b = MakeReport();
  std::reverse(b.packages.begin(), b.packages.end());
  std::reverse(b.findings.begin(), b.findings.end());
  b.Sort();
  for (Format f : {Format::kTable, Format::kJson, Format::kCycloneDx, Format::kSpdx}) {
    std::ostringstream out_a, out_b;
    ASSERT_TRUE(WriteReport(a, f, kOptions, out_a).ok());
    ASSERT_TRUE(WriteReport(b, f, kOptions, out_b).ok());
    EXPECT_EQ(out_a.str(), out_b.str()) << "format " << static_cast<int>(f);
  }
}

TEST(WriterTest, FailedStreamIsIOError) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  Status s = WriteReport(MakeReport(), Format::kJson, kOptions, out);
  EXPECT_EQ(s.code(), StatusCode::kIOError);
}

// --- JSON ----------------------------------------------------------------------------------

TEST(JsonWriterTest, ParsesAndHasTheFields) {
  Json j = Json::parse(Write(WriteJson, MakeReport()));
  EXPECT_EQ(j["schema_version"], "1");
  EXPECT_EQ(j["tool"]["name"], "bulkhead");
  const Json& t = j["target"];
  EXPECT_EQ(t["name"], "oci:./images/app:1.0");
  EXPECT_EQ(t["digest"], kImageDigest);
  EXPECT_EQ(t["os"]["family"], "debian");
  EXPECT_EQ(t["os"]["version"], "12.4");
  ASSERT_EQ(j["layers"].size(), 2u);
  EXPECT_EQ(j["layers"][0]["digest"], kLayer1);
  EXPECT_EQ(j["layers"][0]["diff_id"], kLayer1);
  EXPECT_EQ(j["layers"][1]["created_by"], "RUN apt-get install -y openssl");
  ASSERT_EQ(j["packages"].size(), 6u);
  for (const Json& p : j["packages"]) {
    for (const char* key :
         {"name", "version", "type", "source_name", "source_version", "arch", "purl", "layer"}) {
      EXPECT_TRUE(p.contains(key) && p[key].is_string()) << key << " in " << p.dump();
    }
    EXPECT_FALSE(p.contains("files"));  // only with package_files
  }
  const Json* libc = nullptr;
  const Json* rpm = nullptr;
  for (const Json& p : j["packages"]) {
    if (p["name"] == "libc6") libc = &p;
    if (p["name"] == "nodejs") rpm = &p;
  }
  ASSERT_TRUE(libc && rpm);
  EXPECT_EQ((*libc)["source_name"], "glibc");
  EXPECT_EQ((*libc)["layer"], kLayer1);
  EXPECT_EQ((*libc)["purl"], "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
  EXPECT_EQ((*rpm)["epoch"], "1");
  EXPECT_EQ((*rpm)["modularity_label"], "nodejs:18:8090020231019152822:a75119d5");
  ASSERT_EQ(j["findings"].size(), 3u);
  EXPECT_EQ(j["findings"][0]["severity"], "CRITICAL");  // most severe first
  EXPECT_EQ(j["findings"][0]["line"], 3);
  ASSERT_EQ(j["controls"].size(), 3u);
  std::set<std::string> statuses;
  for (const Json& c : j["controls"]) {
    EXPECT_TRUE(c["id"].is_string() && c["title"].is_string());
    statuses.insert(c["status"].get<std::string>());
  }
  EXPECT_EQ(statuses, (std::set<std::string>{"pass", "fail", "not-assessed"}));
  ASSERT_EQ(j["diagnostics"].size(), 1u);
  EXPECT_EQ(j["diagnostics"][0]["source"], "dpkg");
}

TEST(JsonWriterTest, PackageFilesOnRequest) {
  WriteOptions options;
  options.package_files = true;
  Json j = Json::parse(Write(WriteJson, MakeReport(), options));
  for (const Json& p : j["packages"]) {
    ASSERT_TRUE(p.contains("files")) << p.dump();
    if (p["name"] == "libc6") {
      EXPECT_EQ(p["files"].size(), 2u);
    }
  }
}

TEST(JsonWriterTest, InvalidUtf8IsReplacedNotFatal) {
  Report r = MakeReport();
  r.packages[0].name = "bad\xff\xfename";
  r.diagnostics[0].path = "/etc/\xc3";
  std::string out = Write(WriteJson, r);
  Json j = Json::parse(out);                                  // throws on invalid UTF-8
  EXPECT_NE(out.find("bad\xef\xbf\xbd"), std::string::npos);  // U+FFFD
}

TEST(JsonWriterTest, MatchesTheReportSchema) {
  const std::string schema =
      std::string(BULKHEAD_TESTDATA) + "/../docs/schema/report-v1.schema.json";
  EXPECT_VALID_JSON(schema, Write(WriteJson, MakeReport()));
  WriteOptions options;
  options.package_files = true;
  EXPECT_VALID_JSON(schema, Write(WriteJson, MakeReport(), options));
  EXPECT_VALID_JSON(schema, Write(WriteJson, MakeEmptyReport()));
}

// --- CycloneDX ------------------------------------------------------------------------------

TEST(CycloneDxWriterTest, Shape) {
  Json bom = Json::parse(Write(WriteCycloneDx, MakeReport()));
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.6");
  EXPECT_TRUE(std::regex_match(
      bom["serialNumber"].get<std::string>(),
      std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << bom["serialNumber"];
  EXPECT_EQ(bom["metadata"]["component"]["type"], "container");
  EXPECT_EQ(bom["metadata"]["component"]["name"], "registry.example/app:1.0");
  // The OS and every package are components; their bom-refs are unique even for the
  // three packages that share one purl.
  std::set<std::string> refs;
  size_t libraries = 0;
  for (const Json& c : bom["components"]) {
    std::string ref = c["bom-ref"];
    EXPECT_FALSE(ref.empty());
    EXPECT_TRUE(refs.insert(ref).second) << "duplicate bom-ref " << ref;
    if (c["type"] == "library") {
      ++libraries;
      EXPECT_EQ(c["purl"].get<std::string>().rfind("pkg:", 0), 0u);
    }
  }
  EXPECT_EQ(libraries, 6u);
  EXPECT_TRUE(refs.count("os"));
  // Every dependency names a component that exists.
  for (const Json& d : bom["dependencies"]) {
    for (const Json& on : d["dependsOn"]) EXPECT_TRUE(refs.count(on.get<std::string>())) << on;
  }
}

TEST(CycloneDxWriterTest, DifferentImagesDifferentSerialNumbers) {
  Report a = MakeReport();
  Report b = MakeReport();
  b.target.digest = "sha256:" + std::string(64, 'e');
  EXPECT_NE(Json::parse(Write(WriteCycloneDx, a))["serialNumber"],
            Json::parse(Write(WriteCycloneDx, b))["serialNumber"]);
}

TEST(CycloneDxWriterTest, PackagesWithoutPurlStillGetUniqueRefs) {
  Report r = MakeReport();
  r.packages[0].purl.clear();
  r.packages[1].purl.clear();
  Json bom = Json::parse(Write(WriteCycloneDx, r));
  std::set<std::string> refs;
  for (const Json& c : bom["components"]) {
    std::string ref = c["bom-ref"];
    EXPECT_FALSE(ref.empty());
    EXPECT_TRUE(refs.insert(ref).second) << "duplicate bom-ref " << ref;
    if (c.contains("purl")) {
      EXPECT_FALSE(c["purl"].get<std::string>().empty());
    }
  }
}

TEST(CycloneDxWriterTest, ValidAgainstTheOfficialSchema) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string schema = SharedDataDir() + "/schemas/cyclonedx/bom-1.6.schema.json";
  EXPECT_VALID_JSON(schema, Write(WriteCycloneDx, MakeReport()));
  EXPECT_VALID_JSON(schema, Write(WriteCycloneDx, MakeEmptyReport()));
  Report odd = MakeReport();
  odd.packages[0].purl.clear();
  odd.packages[1].version.clear();
  odd.target.digest = "sha512:abcd";  // not sha256: no hash rather than a wrong one
  odd.target.repo_tags.clear();
  EXPECT_VALID_JSON(schema, Write(WriteCycloneDx, odd));
}

TEST(CycloneDxWriterTest, VulnerabilitiesWithAffectsAndVexAnalysis) {
  Report r = MakeReport();
  ASSERT_FALSE(r.packages.empty());
  const Package& pkg = r.packages[0];
  Finding open;
  open.id = "CVE-2024-0001";
  open.kind = FindingKind::kVulnerability;
  open.severity = Severity::kCritical;
  open.title = "heap overflow";
  open.fixed_version = "9.9-1";
  open.references = {"https://security-tracker.debian.org/tracker/CVE-2024-0001"};
  open.package = PackageRef{pkg.name, pkg.version, pkg.purl};
  Finding silenced = open;
  silenced.id = "CVE-2024-0002";
  Finding config;  // not a vulnerability: never in the vulnerabilities array
  config.id = "BH-IMG-001";
  r.findings = {open, config};
  r.suppressed = {{silenced, "vex", "not_affected: vulnerable_code_not_in_execute_path"}};
  nlohmann::json bom = nlohmann::json::parse(Write(WriteCycloneDx, r));
  ASSERT_TRUE(bom.contains("vulnerabilities"));
  const auto& vulns = bom["vulnerabilities"];
  ASSERT_EQ(vulns.size(), 2u);
  EXPECT_EQ(vulns[0]["id"], "CVE-2024-0001");
  EXPECT_EQ(vulns[0]["ratings"][0]["severity"], "critical");
  EXPECT_EQ(vulns[0]["affects"][0]["ref"], bom["components"][1]["bom-ref"]);
  EXPECT_EQ(vulns[0]["recommendation"], "Upgrade to 9.9-1");
  EXPECT_FALSE(vulns[0].contains("analysis"));
  EXPECT_EQ(vulns[1]["id"], "CVE-2024-0002");
  EXPECT_EQ(vulns[1]["analysis"]["state"], "not_affected");
  if (!SharedDataDir().empty()) {
    EXPECT_VALID_JSON(SharedDataDir() + "/schemas/cyclonedx/bom-1.6.schema.json", bom.dump());
  }
}

TEST(CycloneDxWriterTest, SchemaCheckCatchesAnInvalidBom) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  // The validator itself: a broken document must fail, or the tests above prove nothing.
  Json bom = Json::parse(Write(WriteCycloneDx, MakeReport()));
  bom["specVersion"] = 1.6;
  bom["components"][0]["type"] = "not-a-type";
  Validation v =
      ValidateJson(SharedDataDir() + "/schemas/cyclonedx/bom-1.6.schema.json", bom.dump());
  if (!v.ran) GTEST_SKIP() << "the schema validator could not run: " << v.log;
  EXPECT_FALSE(v.valid);
  EXPECT_NE(v.log.find("specVersion"), std::string::npos) << v.log;
}

// --- SPDX ----------------------------------------------------------------------------------

TEST(SpdxWriterTest, Shape) {
  Json doc = Json::parse(Write(WriteSpdx, MakeReport()));
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-03-01T12:34:56Z");
  EXPECT_TRUE(std::regex_match(
      doc["documentNamespace"].get<std::string>(),
      std::regex("https://spdx.org/spdxdocs/bulkhead-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-"
                 "[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << doc["documentNamespace"];
  std::set<std::string> ids = {"SPDXRef-DOCUMENT"};
  size_t libraries = 0;
  for (const Json& p : doc["packages"]) {
    EXPECT_TRUE(ids.insert(p["SPDXID"].get<std::string>()).second) << p["SPDXID"];
    if (p["primaryPackagePurpose"] == "LIBRARY") {
      ++libraries;
      ASSERT_EQ(p["externalRefs"].size(), 1u);
      EXPECT_EQ(p["externalRefs"][0]["referenceType"], "purl");
    }
  }
  EXPECT_EQ(libraries, 6u);
  EXPECT_TRUE(ids.count("SPDXRef-OperatingSystem"));
  for (const Json& p : doc["packages"]) {
    if (p["SPDXID"] == "SPDXRef-OperatingSystem") {
      EXPECT_EQ(p["primaryPackagePurpose"], "OPERATING_SYSTEM");  // the 2.3 JSON enum
      EXPECT_EQ(p["name"], "debian");
      EXPECT_EQ(p["versionInfo"], "12.4");
    }
  }
  for (const Json& rel : doc["relationships"]) {
    EXPECT_TRUE(ids.count(rel["spdxElementId"].get<std::string>())) << rel.dump();
    EXPECT_TRUE(ids.count(rel["relatedSpdxElement"].get<std::string>())) << rel.dump();
  }
}

TEST(SpdxWriterTest, CreatedFallsBackToTheEpoch) {
  Report r = MakeReport();
  for (std::string created : {"", "yesterday", "2024-3-1T12:34:56Z"}) {
    r.target.created = created;
    EXPECT_EQ(Json::parse(Write(WriteSpdx, r))["creationInfo"]["created"], "1970-01-01T00:00:00Z")
        << created;
  }
}

TEST(SpdxWriterTest, CreatedIsUtc) {
  Report r = MakeReport();
  struct Case {
    const char* created;
    const char* expected;
  };
  for (const Case& c : {Case{"2024-03-01T12:34:56Z", "2024-03-01T12:34:56Z"},
                        Case{"2024-03-01T12:34:56.999999999Z", "2024-03-01T12:34:56Z"},
                        Case{"2024-03-01T12:34:56", "2024-03-01T12:34:56Z"},
                        Case{"2024-03-01T01:30:00+02:00", "2024-02-29T23:30:00Z"},
                        Case{"2023-12-31T22:15:00.5-05:30", "2024-01-01T03:45:00Z"},
                        Case{"2024-02-30T00:00:00Z", "1970-01-01T00:00:00Z"},
                        Case{"2024-01-01T24:00:00Z", "1970-01-01T00:00:00Z"}}) {
    r.target.created = c.created;
    EXPECT_EQ(Json::parse(Write(WriteSpdx, r))["creationInfo"]["created"], c.expected) << c.created;
  }
}

TEST(SpdxWriterTest, ValidAgainstTheOfficialSchema) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const std::string schema = SharedDataDir() + "/schemas/spdx/spdx-2.3-schema.json";
  EXPECT_VALID_JSON(schema, Write(WriteSpdx, MakeReport()));
  EXPECT_VALID_JSON(schema, Write(WriteSpdx, MakeEmptyReport()));
  Report odd = MakeReport();
  odd.packages[0].purl.clear();
  odd.target.digest = "sha512:abcd";
  EXPECT_VALID_JSON(schema, Write(WriteSpdx, odd));
}

// --- Table ---------------------------------------------------------------------------------

TEST(TableWriterTest, NoColourNoEscapes) {
  std::string out = Write(WriteTable, MakeReport());
  EXPECT_EQ(out.find('\033'), std::string::npos);
  EXPECT_NE(out.find("Target:  oci:./images/app:1.0"), std::string::npos) << out;
  EXPECT_NE(out.find("OS:      debian 12.4 (amd64)"), std::string::npos) << out;
  EXPECT_NE(out.find("Packages (6: 5 deb, 1 rpm)"), std::string::npos) << out;
  EXPECT_NE(out.find("Vulnerabilities (1)"), std::string::npos) << out;
  EXPECT_NE(out.find("Findings (2)"), std::string::npos) << out;
  EXPECT_NE(out.find("CVE-2023-5678"), std::string::npos);
  EXPECT_NE(out.find("3.0.13-1~deb12u1"), std::string::npos);
  EXPECT_NE(out.find("fixed (resolved)"), std::string::npos);
  EXPECT_NE(out.find("glibc 2.36-9+deb12u4"), std::string::npos);  // source differs
  EXPECT_NE(out.find("Diagnostics (1)"), std::string::npos);
  EXPECT_NE(out.find("[layer 111111111111] /var/lib/dpkg/status.d/bad"), std::string::npos) << out;
  EXPECT_EQ(Write(WriteTable, MakeEmptyReport()).find('\033'), std::string::npos);
}

TEST(TableWriterTest, ColourOnRequest) {
  WriteOptions options;
  options.color = true;
  std::string out = Write(WriteTable, MakeReport(), options);
  EXPECT_NE(out.find("\033[31m"), std::string::npos);  // critical finding, failed control
  EXPECT_NE(out.find("\033[0m"), std::string::npos);
}

TEST(TableWriterTest, ColumnsAreAligned) {
  std::string out = Write(WriteTable, MakeReport());
  // In the package table, the VERSION column starts at the same offset on every row.
  std::istringstream lines(out);
  std::string line;
  size_t column = std::string::npos;
  bool in_packages = false;
  while (std::getline(lines, line)) {
    if (line.rfind("NAME", 0) == 0) {
      in_packages = true;
      column = line.find("VERSION");
      continue;
    }
    if (!in_packages) continue;
    if (line.empty()) break;
    size_t name_end = line.find(' ');
    size_t version_at = line.find_first_not_of(' ', name_end);
    EXPECT_EQ(version_at, column) << line;
  }
  EXPECT_NE(column, std::string::npos);
}

// --- StableUuid ----------------------------------------------------------------------------

TEST(StableUuidTest, DeterministicAndRfc4122Shaped) {
  const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string text = "input " + std::to_string(i);
    std::string u = StableUuid(text);
    EXPECT_TRUE(std::regex_match(u, shape)) << u;
    EXPECT_EQ(u, StableUuid(text));
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_TRUE(std::regex_match(StableUuid(""), shape));
}

}  // namespace
}  // namespace bulkhead::report
