// The vulnerability database against issue 3's budgets:
//   import   >= 50,000 OSV records/s on the Go, PyPI and AlmaLinux sets (../shared/data),
//            and from zips as `db update` downloads them
//   match    1,000 installed packages against >= 100,000 records in <= 10 ms
//   open     cold open plus the first query in <= 20 ms
#include <archive.h>
#include <archive_entry.h>
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "bulkhead/vuln/matcher.h"
#include "bulkhead/vulndb/database.h"
#include "bulkhead/vulndb/importer.h"
#include "bulkhead/vulndb/internal/yaml_json.h"

namespace {

using namespace bulkhead;

std::string Scratch(const std::string& name) {
  static const std::string dir = [] {
    std::string d = std::filesystem::temp_directory_path() /
                    ("bulkhead-vulndb-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir + "/" + name;
}

// Imports `path` into a fresh database once per iteration; records/s over all of them.
void ImportLoop(benchmark::State& state, const std::string& path) {
  int64_t records = 0;
  for (auto _ : state) {
    const std::string db = Scratch("import.sqlite");
    std::filesystem::remove(db);
    auto stats = vulndb::ImportAll(db, {{path, "", ""}});
    if (!stats.ok()) {
      state.SkipWithError("import failed");
      return;
    }
    records += (*stats)[0].records + (*stats)[0].withdrawn;
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}

void BM_Import(benchmark::State& state, const char* relative) {
  const std::string path = std::string(BULKHEAD_SHARED_DATA) + "/" + relative;
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("../shared/data not found");
    return;
  }
  ImportLoop(state, path);
}

// PyPA keeps its records as YAML; osv.dev publishes the same records as JSON (PyPI/all.zip).
// This converts the YAML tree to a JSON tree once, untimed, to measure the JSON path too.
// "" when the shared data is not there.
std::string PyPIJsonTree() {
  const std::string root = std::string(BULKHEAD_SHARED_DATA) + "/osv-pypa/vulns";
  if (!std::filesystem::exists(root)) return "";
  const std::string tree = Scratch("pypi-json");
  if (!std::filesystem::exists(tree)) {
    std::filesystem::create_directories(tree);
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      auto json = vulndb::internal::YamlToJson(ss.str(), e.path().string());
      if (!json.ok()) continue;
      std::ofstream(tree + "/" + std::to_string(n++) + ".json") << *json;
    }
  }
  return tree;
}

void BM_ImportPyPIAsJson(benchmark::State& state) {
  const std::string tree = PyPIJsonTree();
  if (tree.empty()) {
    state.SkipWithError("../shared/data not found");
    return;
  }
  ImportLoop(state, tree);
}
BENCHMARK(BM_ImportPyPIAsJson)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// Every *.json under `root`, deflated into one zip with flat names, as osv.dev publishes
// an ecosystem (<Ecosystem>/all.zip, what `db update` downloads).
void ZipTree(const std::string& root, const std::string& zip) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_filename(a, zip.c_str());
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string data = ss.str();
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, f.filename().c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, entry);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

void BM_ImportZip(benchmark::State& state, const char* which) {
  const bool pypi = std::string_view(which) == "pypi";
  const std::string tree =
      pypi ? PyPIJsonTree() : std::string(BULKHEAD_SHARED_DATA) + "/osv-go/data/osv";
  if (tree.empty() || !std::filesystem::exists(tree)) {
    state.SkipWithError("../shared/data not found");
    return;
  }
  const std::string zip = Scratch(std::string(which) + ".zip");
  if (!std::filesystem::exists(zip)) ZipTree(tree, zip);
  ImportLoop(state, zip);
}
BENCHMARK_CAPTURE(BM_ImportZip, go, "go")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ImportZip, pypi, "pypi")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

BENCHMARK_CAPTURE(BM_Import, go, "osv-go/data/osv")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Import, pypi, "osv-pypa/vulns")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Import, almalinux, "osv-almalinux/almalinux-osv-advisories.tar.gz")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();

constexpr int kPackages = 20'000;
constexpr int kRecordsPerPackage = 5;

// 100,000 synthetic Debian:12 records over 20,000 source packages.
const std::string& SyntheticDb() {
  static const std::string path = [] {
    const std::string db = Scratch("synthetic.sqlite");
    std::filesystem::remove(db);
    auto w = vulndb::DatabaseWriter::Begin(db);
    (void)(*w)->BeginSource("synthetic", "osv", "bench");
    std::mt19937 rng(800190);
    for (int p = 0; p < kPackages; ++p) {
      for (int r = 0; r < kRecordsPerPackage; ++r) {
        vulndb::Vulnerability v;
        v.id = "CVE-2099-" + std::to_string(p * kRecordsPerPackage + r);
        v.modified = "2025-01-01T00:00:00Z";
        v.summary = "synthetic";
        vulndb::Affected a;
        a.ecosystem = "Debian:12";
        a.package = "pkg" + std::to_string(p);
        a.status = vulndb::VulnStatus::kFixed;
        vulndb::Range range;
        range.events = {{vulndb::Event::Kind::kIntroduced, "0"},
                        {vulndb::Event::Kind::kFixed,
                         std::to_string(rng() % 5) + "." + std::to_string(rng() % 20) + "-1"}};
        a.ranges = {range};
        v.affected = {a};
        (void)(*w)->Add(v);
      }
    }
    (void)(*w)->EndSource();
    (void)(*w)->Commit();
    return db;
  }();
  return path;
}

Report ThousandPackages() {
  Report r;
  r.target.os = {"debian", "12", ""};
  std::mt19937 rng(42);
  for (int i = 0; i < 1000; ++i) {
    Package p;
    p.type = "deb";
    p.name = "bin" + std::to_string(i);
    p.source_name = "pkg" + std::to_string(rng() % (2 * kPackages));  // Half have records.
    p.version = p.source_version =
        std::to_string(rng() % 5) + "." + std::to_string(rng() % 20) + "-1";
    r.packages.push_back(std::move(p));
  }
  return r;
}

void BM_Match1000Packages(benchmark::State& state) {
  auto db = vulndb::Database::OpenReadOnly(SyntheticDb());
  Report r = ThousandPackages();
  size_t findings = 0;
  for (auto _ : state) {
    r.findings.clear();
    (void)vuln::MatchReport(**db, {}, &r);
    findings = r.findings.size();
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["records"] = kPackages * kRecordsPerPackage;
}
BENCHMARK(BM_Match1000Packages)->Unit(benchmark::kMillisecond);

void BM_OpenAndFirstQuery(benchmark::State& state) {
  const std::string& path = SyntheticDb();
  for (auto _ : state) {
    auto db = vulndb::Database::OpenReadOnly(path);
    std::vector<vulndb::Candidate> out;
    (void)(*db)->Lookup("Debian:12", "pkg123", &out);
    benchmark::DoNotOptimize(out.size());
  }
}
BENCHMARK(BM_OpenAndFirstQuery)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(Scratch("x")).parent_path(), ec);
  return 0;
}
