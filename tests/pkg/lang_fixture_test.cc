// The language analyzers on real artifacts that scripts/build-lang-fixtures builds with
// each ecosystem's own tools (npm install, go build, jar, Debian's python3 packages),
// against the oracle each tool gives (npm query, go version -m, the pom.properties in the
// archives, importlib.metadata). The fixture folder is $BULKHEAD_LANG_FIXTURES (the
// OUTDIR/lang the script fills); without it these tests skip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "bulkhead/pkg/binary_analyzer.h"
#include "bulkhead/pkg/java_analyzer.h"
#include "bulkhead/pkg/npm_analyzer.h"
#include "bulkhead/pkg/python_analyzer.h"
#include "tests/pkg/analyzer_fixture.h"
#include "tests/testing/test_util.h"

namespace bulkhead::testing {
namespace {

namespace fs = std::filesystem;
using Rows = std::set<std::pair<std::string, std::string>>;

std::string FixtureDir() {
  const char* dir = std::getenv("BULKHEAD_LANG_FIXTURES");
  return dir && *dir ? dir : "";
}

#define REQUIRE_LANG_FIXTURES()                                                       \
  do {                                                                                \
    if (FixtureDir().empty())                                                         \
      GTEST_SKIP() << "BULKHEAD_LANG_FIXTURES not set (scripts/build-lang-fixtures)"; \
  } while (0)

Rows Expected(const std::string& tsv) {
  Rows out;
  pkg::ForEachLine(ReadFileOrDie(tsv), [&](std::string_view line) {
    size_t tab = line.find('\t');
    if (tab != std::string_view::npos) {
      out.emplace(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
    }
  });
  return out;
}

// Every regular file under `root`, put at `image_root` + its relative path, executable
// bits kept.
void AddTree(FakeImage& img, const std::string& root, const std::string& image_root) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && !e.is_symlink()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    auto perms = fs::status(f).permissions();
    uint32_t mode = (perms & fs::perms::owner_exec) != fs::perms::none ? 0755 : 0644;
    img.File(image_root + "/" + fs::relative(f, root).string(), ReadFileOrDie(f.string()), mode);
  }
}

Rows Got(const FakeImage::Output& out) {
  Rows rows;
  for (const Package& p : out.packages) rows.emplace(p.name, p.version);
  return rows;
}

TEST(LangFixtureTest, NpmInstalledTreeMatchesNpmQuery) {
  REQUIRE_LANG_FIXTURES();
  FakeImage img;
  img.AddLayer();
  AddTree(img, FixtureDir() + "/npm/app/node_modules", "/srv/app/node_modules");
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  Rows want = Expected(FixtureDir() + "/npm/expected.tsv");
  EXPECT_GT(want.size(), 50u);
  EXPECT_EQ(Got(out), want);
}

TEST(LangFixtureTest, NpmPackageLockV3MatchesNpmQuery) {
  REQUIRE_LANG_FIXTURES();
  FakeImage img;
  img.AddLayer().File("/srv/app/package-lock.json",
                      ReadFileOrDie(FixtureDir() + "/npm/app/package-lock.json"));
  FakeImage::Output out = img.Run(pkg::NpmAnalyzer());
  EXPECT_EQ(Got(out), Expected(FixtureDir() + "/npm/expected.tsv"));
}

TEST(LangFixtureTest, GoBinaryMatchesGoVersionM) {
  REQUIRE_LANG_FIXTURES();
  FakeImage img;
  img.AddLayer().File("/usr/local/bin/app", ReadFileOrDie(FixtureDir() + "/go/app"), 0755);
  FakeImage::Output out = img.Run(pkg::BinaryAnalyzer());
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Got(out), Expected(FixtureDir() + "/go/expected.tsv"));
  for (const Package& p : out.packages) EXPECT_EQ(p.type, "golang");
}

TEST(LangFixtureTest, GoBinaryTruncatedIsADiagnostic) {
  REQUIRE_LANG_FIXTURES();
  std::string bin = ReadFileOrDie(FixtureDir() + "/go/app");
  FakeImage img;
  img.AddLayer().File("/bin/cut", bin.substr(0, bin.size() / 2), 0755);
  FakeImage::Output out = img.Run(pkg::BinaryAnalyzer());
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.diagnostics.size(), 1u);
  EXPECT_EQ(out.diagnostics[0].path, "/bin/cut");
}

TEST(LangFixtureTest, WarWithNestedDebianJarsMatchesPomProperties) {
  REQUIRE_LANG_FIXTURES();
  FakeImage img;
  img.AddLayer().File("/opt/app.war", ReadFileOrDie(FixtureDir() + "/java/app.war"));
  FakeImage::Output out = img.Run(pkg::JavaAnalyzer());
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  EXPECT_EQ(Got(out), Expected(FixtureDir() + "/java/expected.tsv"));
}

TEST(LangFixtureTest, PythonDistPackagesMatchImportlibMetadata) {
  REQUIRE_LANG_FIXTURES();
  FakeImage img;
  img.AddLayer();
  AddTree(img, FixtureDir() + "/python/site-packages", "/usr/lib/python3/dist-packages");
  FakeImage::Output out = img.Run(pkg::PythonAnalyzer());
  EXPECT_TRUE(out.diagnostics.empty()) << out.diagnostics[0].message;
  Rows want = Expected(FixtureDir() + "/python/expected.tsv");
  EXPECT_GT(want.size(), 10u);
  EXPECT_EQ(Got(out), want);
}

}  // namespace
}  // namespace bulkhead::testing
