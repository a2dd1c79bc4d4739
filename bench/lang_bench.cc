// The cost of application-dependency analysis (issue 7) in the inventory pass. One gzip
// layer like a Node.js application image: a Debian package database, a 48 MiB node-like
// executable, 2,000 npm packages of five files each (10% nested) and their
// package-lock.json. Each benchmark decompresses the layer, walks the tar, captures what
// the registry's analyzers ask for (reducing what reducers claim, as the scanner's layer
// visitor does), squashes and runs the analyzers:
//
//   BM_Inventory/os    OS analyzers only (os-release, dpkg, apk, rpm): the baseline
//   BM_Inventory/all   every built-in analyzer
//
// The goal (issue 7): all / os <= 1.15.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/decompress.h"
#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/image/layer_walk.h"
#include "bulkhead/image/overlay.h"
#include "bulkhead/pkg/apk_analyzer.h"
#include "bulkhead/pkg/builtin_analyzers.h"
#include "bulkhead/pkg/dpkg_analyzer.h"
#include "bulkhead/pkg/os_release.h"
#include "bulkhead/pkg/reducing_analyzer.h"
#include "bulkhead/pkg/rpm_analyzer.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

namespace bulkhead {
namespace {

constexpr int kNpmPackages = 2000;

struct TarWriter {
  std::vector<char> buf = std::vector<char>(size_t{512} << 20);
  size_t used = 0;
  struct archive* a = archive_write_new();
  TarWriter() {
    archive_write_set_format_pax_restricted(a);
    archive_write_open_memory(a, buf.data(), buf.size(), &used);
  }
  void Add(const std::string& path, const std::string& data, int mode = 0644) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, path.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, mode);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  std::string Finish() {
    archive_write_close(a);
    archive_write_free(a);
    return std::string(buf.data(), used);
  }
};

std::string GzipData(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// JavaScript-like text: words from a small vocabulary, so it compresses like code.
std::string Text(std::mt19937& rng, size_t bytes) {
  static const char* kWords[] = {"function",  "return", "const",  "module", "exports", "require",
                                 "this",      "value",  "if",     "else",   "=>",      "{",
                                 "}",         "(",      ")",      ";",      "options", "callback",
                                 "undefined", "null",   "length", "push"};
  std::string out;
  while (out.size() < bytes) {
    out += kWords[rng() % (sizeof kWords / sizeof kWords[0])];
    out += rng() % 9 == 0 ? '\n' : ' ';
  }
  return out;
}

// One line of words, for JSON strings.
std::string Words(std::mt19937& rng, size_t bytes) {
  std::string out = Text(rng, bytes);
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

const std::string& Layer() {
  static const std::string* layer = [] {
    std::mt19937 rng(7);
    TarWriter tar;
    tar.Add("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian 12\"\n");
    std::string status;
    for (int i = 0; i < 120; ++i) {
      std::string name = "libpkg" + std::to_string(i);
      status += "Package: " + name +
                "\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1." +
                std::to_string(i) + "-1\nDescription: x\n a package\n\n";
      tar.Add("var/lib/dpkg/info/" + name + ":amd64.list",
              "/usr/lib/" + name + ".so.1\n/usr/share/doc/" + name + "\n");
      tar.Add("usr/lib/" + name + ".so.1", Text(rng, 20000), 0644);
    }
    tar.Add("var/lib/dpkg/status", status);
    // A node-like executable: an ELF header, then 48 MiB of poorly compressible bytes.
    std::string node(48 << 20, '\0');
    for (size_t i = 0; i < node.size(); i += 4) {
      uint32_t r = static_cast<uint32_t>(rng());
      std::memcpy(&node[i], &r, 4);
    }
    std::memcpy(node.data(),
                "\x7f"
                "ELF\x02\x01\x01",
                7);
    std::memset(node.data() + 7, 0, 57);
    tar.Add("usr/local/bin/node", node, 0755);
    std::string lock = R"({"lockfileVersion":3,"packages":{"":{})";
    for (int i = 0; i < kNpmPackages; ++i) {
      std::string name = i % 10 == 0
                             ? "@scope" + std::to_string(i % 50) + "/pkg" + std::to_string(i)
                             : "pkg" + std::to_string(i);
      std::string dir = "app/node_modules/" + name;
      if (i % 10 == 5)
        dir = "app/node_modules/pkg" + std::to_string(i - 1) + "/node_modules/" + name;
      std::string version = "1." + std::to_string(i % 17) + "." + std::to_string(i % 5);
      tar.Add(dir + "/package.json",
              R"({"name":")" + name + R"(","version":")" + version + R"(","description":")" +
                  Words(rng, 200) + R"(","main":"index.js","license":"MIT","dependencies":{}})");
      tar.Add(dir + "/index.js", Text(rng, 6000));
      tar.Add(dir + "/lib/util.js", Text(rng, 3000));
      tar.Add(dir + "/README.md", Text(rng, 3000));
      tar.Add(dir + "/LICENSE", Text(rng, 1000));
      lock += R"(,"node_modules/)" + name + R"(":{"version":")" + version + R"("})";
    }
    lock += "}}";
    tar.Add("app/package-lock.json", lock);
    tar.Add("app/package.json", R"({"name":"app","version":"1.0.0"})");
    return new std::string(GzipData(tar.Finish()));
  }();
  return *layer;
}

// The capture half of the scanner's layer visitor (scan/internal/layer_visitor.cc).
class CaptureVisitor final : public image::EntryVisitor {
 public:
  explicit CaptureVisitor(const pkg::AnalyzerRegistry& registry) {
    for (const auto& a : registry.analyzers()) {
      if (auto* r = dynamic_cast<const pkg::ReducingAnalyzer*>(a.get())) {
        reducers_.push_back(r);
      } else {
        plain_.push_back(a.get());
      }
    }
  }
  Status OnEntry(const std::string& path, const image::FileMeta& meta,
                 image::ContentReader& content) override {
    if (meta.type != image::EntryType::kFile) return Status::OK();
    bool capture = false;
    for (const pkg::Analyzer* a : plain_) capture = capture || a->Required(path, meta);
    const pkg::ReducingAnalyzer* reducer = nullptr;
    for (const pkg::ReducingAnalyzer* r : reducers_) {
      if (!capture && !reducer && r->Required(path, meta)) reducer = r;
    }
    if (!capture && !reducer) return Status::OK();
    std::string data, head;
    std::unique_ptr<pkg::Reduction> reduction;
    uint8_t buf[256 * 1024];
    for (;;) {
      BULKHEAD_ASSIGN_OR_RETURN(size_t n, content.Read(buf, sizeof buf));
      if (n == 0) break;
      std::string_view chunk(reinterpret_cast<const char*>(buf), n);
      if (capture) {
        data.append(chunk);
        continue;
      }
      if (!reduction) {  // the first chunk holds the head (256 KiB reads)
        if (!reducer->Accepts(chunk)) return Status::OK();
        reduction = reducer->StartReduction(path, meta.size);
      }
      if (!reduction->Feed(chunk)) break;  // the rest is not needed
    }
    if (capture) {
      captures_[path] = std::move(data);
    } else if (reduction) {
      captures_[path] = reduction->Finish();
    }
    return Status::OK();
  }
  pkg::FileSet::LayerCapture captures_;

 private:
  std::vector<const pkg::Analyzer*> plain_;
  std::vector<const pkg::ReducingAnalyzer*> reducers_;
};

void BM_Inventory(benchmark::State& state, bool all) {
  pkg::AnalyzerRegistry registry;
  if (all) {
    (void)pkg::RegisterBuiltinAnalyzers(&registry);
  } else {
    (void)registry.Add(std::make_unique<pkg::OsReleaseAnalyzer>());
    (void)registry.Add(std::make_unique<pkg::DpkgAnalyzer>());
    (void)registry.Add(std::make_unique<pkg::ApkAnalyzer>());
    (void)registry.Add(std::make_unique<pkg::RpmAnalyzer>());
  }
  const std::string& layer = Layer();
  size_t packages = 0;
  double walk_ms = 0, analyze_ms = 0;
  int rounds = 0;
  std::map<std::string, double> per_analyzer;
  for (auto _ : state) {
    archive::DecompressOptions options;
    auto stream = archive::OpenDecompressed(archive::OpenMemory(layer, "layer"), options);
    if (!stream.ok()) {
      state.SkipWithError("decompress");
      return;
    }
    auto t0 = std::chrono::steady_clock::now();
    CaptureVisitor visitor(registry);
    image::LayerFiles files;
    Status s = image::WalkLayer(std::move(stream).value(), archive::TarLimits(), visitor, &files);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    auto t1 = std::chrono::steady_clock::now();
    walk_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    std::vector<const image::LayerFiles*> layers{&files};
    image::Overlay overlay = image::Overlay::Build(layers);
    std::vector<pkg::FileSet::LayerCapture> captures;
    captures.push_back(std::move(visitor.captures_));
    pkg::FileSet fs(&overlay, std::move(captures), {"sha256:layer"});
    OsInfo os = pkg::DetectOs(fs);
    pkg::AnalysisInput input{fs, os};
    packages = 0;
    for (const auto& a : registry.analyzers()) {
      pkg::AnalysisSink sink;
      auto ta = std::chrono::steady_clock::now();
      (void)a->Analyze(input, sink);
      if (std::getenv("LANG_BENCH_PER_ANALYZER")) {
        per_analyzer[std::string(a->Type())] +=
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ta)
                .count();
      }
      packages += sink.packages().size();
    }
    benchmark::DoNotOptimize(packages);
    analyze_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
    ++rounds;
  }
  state.counters["walk_ms"] = walk_ms / std::max(1, rounds);
  for (const auto& [type, ms] : per_analyzer)
    state.counters[type + "_ms"] = ms / std::max(1, rounds);
  state.counters["squash_analyze_ms"] = analyze_ms / std::max(1, rounds);
  state.counters["packages"] = static_cast<double>(packages);
  state.counters["layer_MiB"] = static_cast<double>(layer.size()) / (1 << 20);
}

BENCHMARK_CAPTURE(BM_Inventory, os, false)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(BM_Inventory, all, true)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace bulkhead

BENCHMARK_MAIN();
