// Conformance of the lockfile analyzers with Trivy's integration goldens: each
// ecosystem's fixture under trivy/integration/testdata/fixtures/repo/<dir> yields exactly
// the packages (name, version, purl) the golden lists, less the project itself
// (Relationship "root"), which bulkhead does not report as a dependency.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "bulkhead/pkg/dotnet_analyzer.h"
#include "bulkhead/pkg/npm_analyzer.h"
#include "bulkhead/pkg/php_analyzer.h"
#include "bulkhead/pkg/python_analyzer.h"
#include "bulkhead/pkg/rust_analyzer.h"
#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::testing {
namespace {

using Row = std::tuple<std::string, std::string, std::string>;  // name, version, purl

struct Case {
  const char* golden;              // integration/testdata/<golden>.json.golden
  const char* dir;                 // fixtures/repo/<dir>
  std::vector<const char*> files;  // files of the fixture the analyzer is given
  const char* analyzer;            // which analyzer
  const char* dest = "/app/";      // where the files go in the image
};

std::unique_ptr<pkg::Analyzer> MakeAnalyzer(std::string_view type) {
  if (type == "npm") return std::make_unique<pkg::NpmAnalyzer>();
  if (type == "python") return std::make_unique<pkg::PythonAnalyzer>();
  if (type == "cargo") return std::make_unique<pkg::RustAnalyzer>();
  if (type == "composer") return std::make_unique<pkg::PhpAnalyzer>();
  return std::make_unique<pkg::DotnetAnalyzer>();
}

std::set<Row> GoldenRows(const std::string& path) {
  nlohmann::json doc = nlohmann::json::parse(ReadFileOrDie(path));
  std::set<Row> out;
  for (const auto& result : doc["Results"]) {
    if (!result.contains("Packages")) continue;
    for (const auto& p : result["Packages"]) {
      if (p.value("Relationship", "") == "root") continue;
      out.emplace(p["Name"].get<std::string>(), p["Version"].get<std::string>(),
                  p["Identifier"]["PURL"].get<std::string>());
    }
  }
  return out;
}

class TrivyConformanceTest : public ::testing::TestWithParam<Case> {};

TEST_P(TrivyConformanceTest, YieldsTheGoldenPackages) {
  BULKHEAD_REQUIRE_SHARED_DATA();
  const Case& c = GetParam();
  const std::string base = SharedDataDir() + "/trivy/integration/testdata/";
  const std::string golden = base + c.golden + ".json.golden";
  if (!std::filesystem::exists(golden)) GTEST_SKIP() << golden << " not in the shared data";
  FakeImage img;
  img.AddLayer();
  for (const char* f : c.files) {
    img.File(std::string(c.dest) + f, ReadFileOrDie(base + "fixtures/repo/" + c.dir + "/" + f));
  }
  auto analyzer = MakeAnalyzer(c.analyzer);
  FakeImage::Output out = img.Run(*analyzer);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  std::set<Row> got;
  for (const Package& p : out.packages) {
    got.emplace(p.name, p.version, p.purl);
    EXPECT_EQ(p.layer, FakeImage::LayerDigest(0));
    EXPECT_EQ(p.db_path.rfind("/app/", 0), 0u) << p.db_path;
  }
  EXPECT_EQ(got, GoldenRows(golden));
}

INSTANTIATE_TEST_SUITE_P(
    Trivy, TrivyConformanceTest,
    ::testing::Values(Case{"npm", "npm", {"package-lock.json"}, "npm"},
                      Case{"yarn", "yarn", {"yarn.lock", "package.json"}, "npm"},
                      Case{"pnpm", "pnpm", {"pnpm-lock.yaml"}, "npm"},
                      Case{"pip", "pip", {"requirements.txt"}, "python"},
                      Case{"pipenv", "pipenv", {"Pipfile.lock"}, "python"},
                      Case{"poetry", "poetry", {"poetry.lock"}, "python"},
                      Case{"uv", "uv", {"uv.lock"}, "python"},
                      Case{"cargo.lock", "cargo", {"Cargo.lock", "Cargo.toml"}, "cargo"},
                      Case{"composer.lock", "composer", {"composer.lock"}, "composer"},
                      Case{"composer.vendor",
                           "composer-vendor",
                           {"installed.json"},
                           "composer",
                           "/app/vendor/composer/"},
                      Case{"nuget", "nuget", {"packages.lock.json"}, "nuget"},
                      Case{"dotnet", "dotnet", {"datacollector.deps.json"}, "nuget"},
                      Case{
                          "packagesprops", "packagesprops", {"Directory.Packages.props"}, "nuget"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.golden;
      for (char& ch : name) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace bulkhead::testing
