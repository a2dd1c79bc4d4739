// Throughput of secret detection on text, per core: the built-in rules (and gitleaks'
// 222 default rules when the shared data is there) over ~64 MiB of source code, fed in
// 64 KiB chunks like a layer walk does; and the per-file cost on many small files.
//
// Input: BULKHEAD_BENCH_TEXT (a file) or, without it, the C/C++ headers under
// /usr/include concatenated up to 64 MiB, or, without those, 64 MiB of generated
// source-like text (code, config lines with keys and values, comments).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bulkhead/secret/builtin_rules.h"
#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/secret/gitleaks_config.h"

namespace {

using bulkhead::secret::Engine;
using bulkhead::secret::FileScanner;
using bulkhead::secret::SecretMatch;

constexpr size_t kCorpusBytes = 64u << 20;
constexpr size_t kChunkBytes = 64u << 10;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string GeneratedText() {
  std::mt19937_64 rng(42);
  const char* words[] = {"config",  "value",   "result",      "buffer", "index",
                         "handler", "request", "token_count", "user",   "session",
                         "options", "cache",   "status"};
  auto word = [&] { return std::string(words[rng() % std::size(words)]); };
  std::string out;
  while (out.size() < kCorpusBytes) {
    switch (rng() % 6) {
      case 0:
        out += "  // " + word() + " is updated when the " + word() + " changes\n";
        break;
      case 1:
        out +=
            "  auto " + word() + " = " + word() + "->Get(" + std::to_string(rng() % 1000) + ");\n";
        break;
      case 2:
        out += word() + "_timeout: " + std::to_string(rng() % 100) + "s\n";
        break;
      case 3:
        out += "  if (" + word() + ".empty()) return Status::NotFound(\"" + word() + "\");\n";
        break;
      case 4:
        out += "password_file = /run/secrets/" + word() + "\n";
        break;
      default:
        out += "}\n\nvoid " + word() + "_" + word() + "(int x) {\n";
        break;
    }
  }
  return out;
}

const std::string& Corpus() {
  static const std::string* text = [] {
    if (const char* path = std::getenv("BULKHEAD_BENCH_TEXT"))
      return new std::string(ReadFile(path));
    std::vector<std::string> headers;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator("/usr/include", ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().extension() == ".h") headers.push_back(it->path());
    }
    std::sort(headers.begin(), headers.end());
    auto* s = new std::string;
    for (const std::string& h : headers) {
      if (s->size() >= kCorpusBytes) break;
      *s += ReadFile(h);
    }
    if (s->size() < kCorpusBytes / 2) *s = GeneratedText();
    s->resize(std::min(s->size(), kCorpusBytes));
    return s;
  }();
  return *text;
}

std::unique_ptr<Engine> BuiltinEngine() {
  auto e = Engine::Compile(bulkhead::secret::BuiltinRules(), nullptr);
  return e.ok() ? std::move(e).value() : nullptr;
}

std::unique_ptr<Engine> GitleaksEngine() {
  auto set = bulkhead::secret::LoadGitleaksConfig(
      BULKHEAD_SHARED_DATA "/secrets/gitleaks/config/gitleaks.toml", {}, nullptr);
  if (!set.ok()) return nullptr;
  auto e = Engine::Compile(*set, nullptr);
  return e.ok() ? std::move(e).value() : nullptr;
}

void ScanCorpus(benchmark::State& state, const Engine& engine, const std::string& text) {
  auto scratch = engine.NewScratch();
  if (!scratch.ok()) return state.SkipWithError("no scratch");
  size_t matches = 0;
  for (auto _ : state) {
    auto scanner = FileScanner::Start(scratch->get(), "corpus.txt");
    for (size_t pos = 0; pos < text.size(); pos += kChunkBytes) {
      (void)scanner->Feed(std::string_view(text).substr(pos, kChunkBytes));
    }
    std::vector<SecretMatch> out;
    (void)scanner->Finish(&out);
    matches = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["matches"] = static_cast<double>(matches);
}

void BM_BuiltinRulesOnText(benchmark::State& state) {
  static const auto engine = BuiltinEngine();
  if (!engine) return state.SkipWithError("built-in rules do not compile");
  ScanCorpus(state, *engine, Corpus());
}
BENCHMARK(BM_BuiltinRulesOnText)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BuiltinRulesOnGeneratedText(benchmark::State& state) {
  static const auto engine = BuiltinEngine();
  static const std::string text = GeneratedText();
  if (!engine) return state.SkipWithError("built-in rules do not compile");
  ScanCorpus(state, *engine, text);
}
BENCHMARK(BM_BuiltinRulesOnGeneratedText)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GitleaksRulesOnText(benchmark::State& state) {
  static const auto engine = GitleaksEngine();
  if (!engine) return state.SkipWithError("gitleaks.toml not found under the shared data");
  ScanCorpus(state, *engine, Corpus());
}
BENCHMARK(BM_GitleaksRulesOnText)->Unit(benchmark::kMillisecond)->UseRealTime();

// One 16 MiB line of minified-code-like text where keyword patterns hit everywhere but
// nothing is a secret: the cost of confirmation on a line that never ends.
void BM_BuiltinRulesOnOneLongLine(benchmark::State& state) {
  static const auto engine = BuiltinEngine();
  static const std::string line = [] {
    std::string s;
    std::mt19937_64 rng(7);
    while (s.size() < (16u << 20)) {
      s += "var token=aaaaaaaaaa;x.password=y(z);secret:'abababab" + std::to_string(rng() % 10) +
           "';api_key=process.env.KEY_" + std::to_string(rng() % 100000) + ";";
    }
    return s;
  }();
  if (!engine) return state.SkipWithError("built-in rules do not compile");
  ScanCorpus(state, *engine, line);
}
BENCHMARK(BM_BuiltinRulesOnOneLongLine)->Unit(benchmark::kMillisecond)->UseRealTime();

// Many small files: the fixed cost of Start/Finish (stream reset, binary sniff, path
// allowlists) shows here.
void BM_BuiltinRulesSmallFiles(benchmark::State& state) {
  static const auto engine = BuiltinEngine();
  if (!engine) return state.SkipWithError("built-in rules do not compile");
  const size_t file_bytes = static_cast<size_t>(state.range(0));
  const std::string& text = Corpus();
  auto scratch = engine->NewScratch();
  size_t pos = 0;
  for (auto _ : state) {
    if (pos + file_bytes > text.size()) pos = 0;
    auto scanner = FileScanner::Start(scratch->get(), "usr/share/doc/file.txt");
    (void)scanner->Feed(std::string_view(text).substr(pos, file_bytes));
    std::vector<SecretMatch> out;
    (void)scanner->Finish(&out);
    benchmark::DoNotOptimize(out.data());
    pos += file_bytes;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file_bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_BuiltinRulesSmallFiles)->Arg(512)->Arg(4096)->Arg(65536);

}  // namespace

BENCHMARK_MAIN();
