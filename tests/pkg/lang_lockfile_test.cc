// The language analyzers on hand-written files: each lockfile format and version, the
// installed-package layouts, purls, layers, and what a production install leaves out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/pkg/dotnet_analyzer.h"
#include "bulkhead/pkg/npm_analyzer.h"
#include "bulkhead/pkg/php_analyzer.h"
#include "bulkhead/pkg/purl.h"
#include "bulkhead/pkg/python_analyzer.h"
#include "bulkhead/pkg/ruby_analyzer.h"
#include "bulkhead/pkg/rust_analyzer.h"
#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/alloc_counter.h"

namespace bulkhead::testing {
namespace {

// "name@version" of every package, sorted.
std::vector<std::string> Ids(const std::vector<Package>& packages) {
  std::vector<std::string> out;
  for (const Package& p : packages) out.push_back(p.name + "@" + p.version);
  std::sort(out.begin(), out.end());
  return out;
}

using Strings = std::vector<std::string>;

TEST(LanguagePurlTest, EachTypeNormalisesItsName) {
  EXPECT_EQ(pkg::LanguagePurl("npm", "@Babel/Core", "7.0.0"), "pkg:npm/%40babel/core@7.0.0");
  EXPECT_EQ(pkg::LanguagePurl("pypi", "Zope.Interface__x", "5.0"), "pkg:pypi/zope-interface-x@5.0");
  EXPECT_EQ(pkg::LanguagePurl("maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  EXPECT_EQ(pkg::LanguagePurl("golang", "github.com/gorilla/mux", "v1.8.0"),
            "pkg:golang/github.com/gorilla/mux@v1.8.0");
  EXPECT_EQ(pkg::LanguagePurl("golang", "stdlib", "v1.19.8"), "pkg:golang/stdlib@v1.19.8");
  EXPECT_EQ(pkg::LanguagePurl("composer", "GuzzleHttp/Guzzle", "7.4.4"),
            "pkg:composer/guzzlehttp/guzzle@7.4.4");
  EXPECT_EQ(pkg::LanguagePurl("nuget", "Newtonsoft.Json", "12.0.3"),
            "pkg:nuget/Newtonsoft.Json@12.0.3");
  EXPECT_EQ(pkg::LanguagePurl("gem", "rack", "2.2.3"), "pkg:gem/rack@2.2.3");
  EXPECT_EQ(pkg::LanguagePurl("cargo", "serde", "1.0.0+x"), "pkg:cargo/serde@1.0.0%2Bx");
  EXPECT_EQ(pkg::NormalizePypiName("A-._b"), "a-b");
}

TEST(NpmAnalyzerTest, InstalledTreeIncludingScopesNestingAndPnpm) {
  FakeImage img;
  img.AddLayer()
      .File("/app/node_modules/lodash/package.json", R"({"name":"lodash","version":"4.17.4"})")
      .File("/app/node_modules/@babel/core/package.json",
            R"({"name":"@babel/core","version":"7.1.0"})")
      .File("/app/node_modules/a/node_modules/lodash/package.json",
            R"({"name":"lodash","version":"3.0.0"})")
      // A package.json deeper in a package is not a package.
      .File("/app/node_modules/lodash/fp/package.json", R"({"name":"fp","version":"1.0.0"})")
      .File("/app/node_modules/.pnpm/jquery@3.3.9/node_modules/jquery/package.json",
            R"({"name":"jquery","version":"3.3.9"})");
  img.AddLayer().File("/srv/node_modules/x/package.json", R"({"name":"x","version":"1.0.0"})");
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(out.diagnostics.empty());
  EXPECT_EQ(Ids(out.packages), (Strings{"@babel/core@7.1.0", "jquery@3.3.9", "lodash@3.0.0",
                                        "lodash@4.17.4", "x@1.0.0"}));
  Package babel = OnePackage(out.packages, "@babel/core");
  EXPECT_EQ(babel.type, "npm");
  EXPECT_EQ(babel.purl, "pkg:npm/%40babel/core@7.1.0");
  EXPECT_EQ(babel.db_path, "/app/node_modules/@babel/core/package.json");
  EXPECT_EQ(babel.layer, FakeImage::LayerDigest(0));
  EXPECT_EQ(OnePackage(out.packages, "x").layer, FakeImage::LayerDigest(1));
}

TEST(NpmAnalyzerTest, DeletedPackageIsGone) {
  FakeImage img;
  img.AddLayer().File("/app/node_modules/a/package.json", R"({"name":"a","version":"1.0.0"})");
  img.AddLayer().Whiteout("/app/node_modules/a");
  EXPECT_TRUE(img.Run(pkg::NpmAnalyzer()).packages.empty());
}

TEST(NpmAnalyzerTest, LockfileBesideAnInstalledTreeIsNotCountedTwice) {
  FakeImage img;
  img.AddLayer()
      .File("/app/node_modules/a/package.json", R"({"name":"a","version":"1.0.0"})")
      .File("/app/package-lock.json",
            R"({"lockfileVersion":3,"packages":{"":{},"node_modules/a":{"version":"1.0.0"},
                "node_modules/b":{"version":"2.0.0"}}})");
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  EXPECT_EQ(Ids(out.packages), (Strings{"a@1.0.0"}));
}

TEST(PackageLockTest, V1NestedWithDevAndAlias) {
  auto entries = pkg::ParsePackageLock(R"({"lockfileVersion":1,"dependencies":{
      "a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0"}}},
      "dev-only":{"version":"9.9.9","dev":true},
      "alias":{"version":"npm:real@3.0.0"},
      "git":{"version":"github:user/repo#abc"}}})",
                                       "lock");
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> ids;
  for (const auto& e : *entries) ids.push_back(e.name + "@" + e.version);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Strings{"a@1.0.0", "b@2.0.0", "real@3.0.0"}));
}

TEST(PackageLockTest, V2V3PackagesSkipRootWorkspacesLinksAndDev) {
  auto entries = pkg::ParsePackageLock(R"({"lockfileVersion":3,"packages":{
      "":{"name":"root","version":"1.0.0"},
      "packages/ws":{"name":"ws","version":"0.0.1"},
      "node_modules/ws":{"resolved":"packages/ws","link":true},
      "node_modules/@s/a":{"version":"1.0.0"},
      "node_modules/@s/a/node_modules/b":{"version":"2.0.0"},
      "node_modules/d":{"version":"3.0.0","dev":true},
      "node_modules/alias":{"name":"real","version":"4.0.0"}}})",
                                       "lock");
  ASSERT_TRUE(entries.ok());
  std::vector<std::string> ids;
  for (const auto& e : *entries) ids.push_back(e.name + "@" + e.version);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Strings{"@s/a@1.0.0", "b@2.0.0", "real@4.0.0"}));
}

TEST(YarnLockTest, BerryWithWorkspaceAndProductionGraph) {
  FakeImage img;
  img.AddLayer()
      .File("/app/package.json",
            R"({"dependencies":{"a":"^1.0.0"},"devDependencies":{"d":"^1.0.0"}})")
      .File("/app/yarn.lock", R"(__metadata:
  version: 6

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  dependencies:
    b: "npm:^2.0.0"

"b@npm:^2.0.0":
  version: 2.1.0
  resolution: "b@npm:2.1.0"

"d@npm:^1.0.0":
  version: 1.0.5

"app@workspace:.":
  version: 0.0.0-use.local
)");
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  ASSERT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Ids(out.packages), (Strings{"a@1.2.0", "b@2.1.0"}));
}

TEST(YarnLockTest, V1WithoutManifestListsEverything) {
  auto entries = pkg::ParseYarnLock(R"(# yarn lockfile v1

"@s/a@^1.0.0", "@s/a@^1.1.0":
  version "1.1.2"
  dependencies:
    b "~2.0.0"

b@~2.0.0:
  version "2.0.1"
)",
                                    "yarn.lock");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].name, "@s/a");
  EXPECT_EQ((*entries)[0].version, "1.1.2");
}

TEST(PnpmLockTest, V5V6AndV9) {
  auto v5 = pkg::ParsePnpmLock(R"(lockfileVersion: 5.4
packages:
  /@s/a/1.0.0_react@18.0.0:
    dev: false
  /b/2.0.0:
    dev: true
)",
                               "pnpm");
  ASSERT_TRUE(v5.ok());
  ASSERT_EQ(v5->size(), 1u);
  EXPECT_EQ((*v5)[0].name, "@s/a");
  EXPECT_EQ((*v5)[0].version, "1.0.0");
  auto v9 = pkg::ParsePnpmLock(R"(lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(c@3.0.0)
    devDependencies:
      d:
        specifier: ^1.0.0
        version: 1.0.0
packages:
  a@1.0.0: {}
  b@2.0.0: {}
  c@3.0.0: {}
  d@1.0.0: {}
snapshots:
  a@1.0.0(c@3.0.0):
    dependencies:
      b: 2.0.0
  b@2.0.0:
    dependencies:
      a: 1.0.0(c@3.0.0)
  c@3.0.0: {}
  d@1.0.0: {}
)",
                               "pnpm");
  ASSERT_TRUE(v9.ok()) << v9.error().ToString();
  std::vector<std::string> ids;
  for (const auto& e : *v9) ids.push_back(e.name + "@" + e.version);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Strings{"a@1.0.0", "b@2.0.0"}));  // a <-> b cycle ends; d is dev
}

TEST(PythonAnalyzerTest, InstalledDistributionsAndLockfiles) {
  FakeImage img;
  img.AddLayer()
      .File("/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0\n\nName: not-this\n")
      .File("/usr/lib/python3/dist-packages/Pygments-2.14.0.egg-info/PKG-INFO",
            "Metadata-Version: 2.1\r\nName: Pygments\r\nVersion: 2.14.0\r\n")
      .File("/usr/lib/python3/dist-packages/six-1.16.0.egg-info",
            "Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\n")
      .File("/srv/requirements-prod.txt",
            "# pins\nFlask[async]==2.0.0 ; python_version > '3'\nrequests>=2.0\n-r other.txt\n"
            "Django===3.2 --hash=sha256:abc\nnumpy==1.*\n");
  FakeImage::Output out = img.Run(pkg::PythonAnalyzer());
  ASSERT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Ids(out.packages),
            (Strings{"Django@3.2", "Flask@2.0.0", "PyYAML@6.0", "Pygments@2.14.0", "six@1.16.0"}));
  EXPECT_EQ(OnePackage(out.packages, "PyYAML").purl, "pkg:pypi/pyyaml@6.0");
  EXPECT_EQ(OnePackage(out.packages, "PyYAML").type, "pypi");
}

TEST(PythonAnalyzerTest, MetadataWithoutVersionIsADiagnostic) {
  FakeImage img;
  img.AddLayer().File("/x/foo-1.dist-info/METADATA", "Name: foo\n");
  FakeImage::Output out = img.Run(pkg::PythonAnalyzer());
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].path, "/x/foo-1.dist-info/METADATA");
  EXPECT_EQ(out.diagnostics[0].layer, FakeImage::LayerDigest(0));
}

TEST(PythonLockTest, PoetryDevCategoryAndMultilineValues) {
  auto entries = pkg::ParsePoetryLock(R"([[package]]
name = "click"
version = "8.1.3"
description = """
multi = "line"
"""
category = "main"

[package.dependencies]
colorama = {version = "*", markers = "platform_system == \"Windows\""}

[[package]]
name = "pytest"
version = "7.0.0"
category = "dev"
files = [
    {file = "a.whl", hash = "sha256:x"},
]

[metadata]
lock-version = "1.1"
)",
                                      "poetry.lock");
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "click");
}

TEST(PythonLockTest, UnterminatedTomlIsCorruption) {
  auto entries = pkg::ParseUvLock("[[package]]\nname = \"a\nversion = \"1\"\n", "uv.lock");
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().code(), StatusCode::kCorruption);
  EXPECT_NE(entries.error().message().find("uv.lock:2"), std::string::npos);
}

TEST(RubyAnalyzerTest, GemspecsAndGemfileLock) {
  FakeImage img;
  img.AddLayer()
      .File("/usr/local/bundle/specifications/rake-13.0.6.gemspec",
            "# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n"
            "  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\n"
            "  s.required_rubygems_version = Gem::Requirement.new(\">= 1.3.6\")\nend\n")
      .File("/app/Gemfile.lock",
            "GIT\n  remote: https://x\n  specs:\n    local (0.1.0)\n\nGEM\n  remote: "
            "https://rubygems.org/\n  specs:\n    nokogiri (1.13.10-x86_64-linux)\n      "
            "racc (~> 1.4)\n    racc (1.6.2)\n\nPLATFORMS\n  x86_64-linux\n");
  FakeImage::Output out = img.Run(pkg::RubyAnalyzer());
  ASSERT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Ids(out.packages), (Strings{"nokogiri@1.13.10", "racc@1.6.2", "rake@13.0.6"}));
  EXPECT_EQ(OnePackage(out.packages, "rake").purl, "pkg:gem/rake@13.0.6");
}

TEST(PhpAndDotnetTest, InstalledJsonV1AndDepsJsonProjects) {
  FakeImage img;
  img.AddLayer()
      .File("/app/vendor/composer/installed.json", R"([{"name":"psr/log","version":"1.1.4"}])")
      .File("/app/app.deps.json", R"({"libraries":{"app/1.0.0":{"type":"project"},
            "Serilog/2.10.0":{"type":"package"}}})");
  FakeImage::Output php = img.Run(pkg::PhpAnalyzer());
  EXPECT_EQ(Ids(php.packages), (Strings{"psr/log@1.1.4"}));
  EXPECT_EQ(php.packages[0].purl, "pkg:composer/psr/log@1.1.4");
  FakeImage::Output dotnet = img.Run(pkg::DotnetAnalyzer());
  EXPECT_EQ(Ids(dotnet.packages), (Strings{"Serilog@2.10.0"}));
  EXPECT_EQ(dotnet.packages[0].type, "nuget");
}

TEST(DotnetPropsTest, CentralPackageVersions) {
  auto entries = pkg::ParsePackagesProps(R"xml(<?xml version="1.0" encoding="utf-8"?>
<!-- central versions: <PackageVersion Include="Commented" Version="1.0"/> -->
<Project>
  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup Condition="'$(TargetFramework)' == 'net8.0'">
    <PackageVersion Include="Newtonsoft.Json" Version="9.0.1" />
    <PackageVersion Include='Serilog' Version = '2.10.0'></PackageVersion>
    <PackageVersion Update="Polly" Version="7.2.3"/>
    <PackageVersion Include="A&amp;B" Version="1.0.0"/>
    <PackageVersion Include="FromProperty" Version="$(FromPropertyVersion)"/>
    <PackageVersion Include="Ranged" Version="[1.0,2.0)"/>
    <PackageReference Include="NoVersion"/>
    <PackageReference Include="Pinned" Version="3.1.0"/>
    <Other><PackageVersion Include="Nested" Version="1.0.0"/></Other>
  </ItemGroup>
  <![CDATA[ <PackageVersion Include="Cdata" Version="1.0.0"/> ]]>
</Project>
)xml",
                                         "Directory.Packages.props");
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  Strings got;
  for (const auto& e : *entries) got.push_back(e.name + "@" + e.version);
  EXPECT_EQ(got, (Strings{"Newtonsoft.Json@9.0.1", "Serilog@2.10.0", "Polly@7.2.3", "A&B@1.0.0",
                          "Pinned@3.1.0"}));
}

TEST(DotnetPropsTest, BrokenXmlIsCorruptionNotACrash) {
  for (std::string_view bad :
       {"", "<Project>", "<Project></ItemGroup>", "<Project><!-- open", "<Project a=b/>",
        "<Project a=\"x/>", "<Project/><Project/>", "<!DOCTYPE x [<!ENTITY a \"b\">]><Project/>",
        "<Project><ItemGroup><PackageVersion Include=\"a<b\" Version=\"1\"/></ItemGroup>"
        "</Project>",
        "<"}) {
    auto r = pkg::ParsePackagesProps(bad, "Directory.Packages.props");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kCorruption) << bad << ": " << r.error().ToString();
    EXPECT_NE(r.error().ToString().find("Directory.Packages.props"), std::string::npos);
  }
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  auto r = pkg::ParsePackagesProps(deep, "Packages.props");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().IsResourceExhausted()) << r.error().ToString();
}

TEST(DotnetPropsTest, AnalyzerReadsBothFileNames) {
  FakeImage img;
  img.AddLayer()
      .File("/src/Directory.Packages.props", R"(<Project><ItemGroup>
          <PackageVersion Include="Newtonsoft.Json" Version="9.0.1"/></ItemGroup></Project>)")
      .File("/legacy/Packages.props", R"(<Project><ItemGroup>
          <PackageVersion Include="Serilog" Version="2.10.0"/></ItemGroup></Project>)")
      .File("/other/Build.props", R"(<Project><ItemGroup>
          <PackageVersion Include="Ignored" Version="1.0.0"/></ItemGroup></Project>)");
  FakeImage::Output out = img.Run(pkg::DotnetAnalyzer());
  ASSERT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Ids(out.packages), (Strings{"Newtonsoft.Json@9.0.1", "Serilog@2.10.0"}));
  EXPECT_EQ(OnePackage(out.packages, "Serilog").purl, "pkg:nuget/Serilog@2.10.0");
  EXPECT_EQ(OnePackage(out.packages, "Serilog").db_path, "/legacy/Packages.props");
}

TEST(RustLockTest, LocalCratesAreLeftOut) {
  auto entries = pkg::ParseCargoLock(R"(version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde",
]

[[package]]
name = "serde"
version = "1.0.152"
source = "registry+https://github.com/rust-lang/crates.io-index"
)",
                                     "Cargo.lock");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "serde");
}

}  // namespace
}  // namespace bulkhead::testing

namespace bulkhead::testing {

namespace {

TEST(RequiredContractTest, EveryBuiltinAnalyzerDecidesWithoutAllocating) {
  pkg::AnalyzerRegistry registry;
  ASSERT_TRUE(pkg::RegisterBuiltinAnalyzers(&registry).ok());
  const std::string_view paths[] = {"/app/node_modules/@babel/core/package.json",
                                    "/app/node_modules/a/lib/package.json",
                                    "/srv/package-lock.json",
                                    "/srv/yarn.lock",
                                    "/srv/pnpm-lock.yaml",
                                    "/srv/package.json",
                                    "/usr/lib/python3/dist-packages/six-1.16.0.egg-info",
                                    "/x/a.dist-info/METADATA",
                                    "/srv/requirements-dev.txt",
                                    "/srv/poetry.lock",
                                    "/opt/app.war",
                                    "/usr/bin/go",
                                    "/srv/Cargo.lock",
                                    "/usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec",
                                    "/srv/vendor/composer/installed.json",
                                    "/app/app.deps.json",
                                    "/var/lib/dpkg/status",
                                    "/etc/os-release",
                                    "/lib/apk/db/installed",
                                    "/usr/share/doc/x/README"};
  image::FileMeta file;
  file.type = image::EntryType::kFile;
  file.mode = 0755;
  file.size = 1 << 20;
  image::FileMeta link = file;
  link.type = image::EntryType::kHardlink;
  size_t wanted = 0;
  const size_t before = AllocationCount();
  for (const auto& a : registry.analyzers()) {
    for (std::string_view p : paths) {
      wanted += a->Required(p, file);
      wanted += a->Required(p, link);
    }
  }
  EXPECT_EQ(AllocationCount() - before, 0u);
  EXPECT_GT(wanted, 20u);
}

}  // namespace
}  // namespace bulkhead::testing

namespace bulkhead::testing {
namespace {

TEST(LangBadInputTest, CyclicYarnGraphEnds) {
  FakeImage img;
  img.AddLayer()
      .File("/app/package.json", R"({"dependencies":{"a":"^1.0.0"}})")
      .File("/app/yarn.lock",
            "a@^1.0.0:\n  version \"1.0.0\"\n  dependencies:\n    b \"^2.0.0\"\n\n"
            "b@^2.0.0:\n  version \"2.0.0\"\n  dependencies:\n    a \"^1.0.0\"\n");
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  EXPECT_EQ(Ids(out.packages), (Strings{"a@1.0.0", "b@2.0.0"}));
}

TEST(LangBadInputTest, DeepPackageLockV1IsADiagnostic) {
  std::string lock = R"({"lockfileVersion":1,"dependencies":)";
  for (int i = 0; i < 70; ++i) lock += R"({"p":{"version":"1.0.0","dependencies":)";
  lock += "{}";
  for (int i = 0; i < 70; ++i) lock += "}}";
  lock += "}";
  auto ok = pkg::ParsePackageLock(lock, "lock");
  ASSERT_FALSE(ok.ok());  // 70 nested dependencies: past kMaxLockDepth
  FakeImage img;
  img.AddLayer().File("/app/package-lock.json", lock);
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].path, "/app/package-lock.json");
}

TEST(LangBadInputTest, HugeAndBrokenFilesAreDiagnostics) {
  FakeImage img;
  img.AddLayer()
      .File("/app/package-lock.json", std::string(33 << 20, ' '))  // over kMaxManifestBytes
      .File("/srv/pnpm-lock.yaml", "packages: [unterminated\n")
      .File("/srv/composer.lock", "{\"packages\": 7}")
      .File("/srv/yarn.lock", "not a header line\n" + std::string(1 << 20, 'x') + "\n")
      .File("/srv/Pipfile.lock", "{");
  std::vector<std::string> paths;
  pkg::NpmAnalyzer npm;
  pkg::PhpAnalyzer php;
  pkg::PythonAnalyzer python;
  for (const pkg::Analyzer* a :
       {static_cast<const pkg::Analyzer*>(&npm), static_cast<const pkg::Analyzer*>(&php),
        static_cast<const pkg::Analyzer*>(&python)}) {
    FakeImage::Output out = img.Run(*a);
    EXPECT_TRUE(out.status.ok());
    EXPECT_TRUE(out.packages.empty());
    for (const Diagnostic& d : out.diagnostics) {
      paths.push_back(d.path);
      EXPECT_EQ(d.layer, FakeImage::LayerDigest(0));
    }
  }
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (Strings{"/app/package-lock.json", "/srv/Pipfile.lock", "/srv/composer.lock",
                            "/srv/pnpm-lock.yaml", "/srv/yarn.lock"}));
}

}  // namespace
}  // namespace bulkhead::testing

namespace bulkhead::testing {
namespace {

TEST(PythonLockTest, UvFollowsTheProjectsDependenciesNotItsDevGroups) {
  auto entries = pkg::ParseUvLock(R"(version = 1

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "Click" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "click"
version = "8.1.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "colorama", marker = "platform_system == 'Windows'" }]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "click" }]

[[package]]
name = "pytest"
version = "8.0.0"
source = { registry = "https://pypi.org/simple" }
)",
                                  "uv.lock");
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  std::vector<std::string> ids;
  for (const auto& e : *entries) ids.push_back(e.name + "@" + e.version);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Strings{"click@8.1.3", "colorama@0.4.6"}));  // the cycle ends, pytest is dev
}

}  // namespace
}  // namespace bulkhead::testing
