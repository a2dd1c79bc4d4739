// Throughput of the stages every layer byte passes through: gzip inflate (ISA-L and
// zlib), SHA-256, and the tar walk. Input: a real layer blob (BULKHEAD_BENCH_LAYER, a
// gzip layer; bench/run.sh passes the Debian fixture's base layer) or, without it, 64 MiB
// of generated tar-like data.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "bulkhead/archive/decompress.h"
#include "bulkhead/archive/tar_reader.h"
#include "bulkhead/core/sha256.h"

namespace {

using bulkhead::archive::OpenDecompressed;
using bulkhead::archive::OpenMemory;

std::string GzipOf(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string& GzipLayer() {
  static const std::string* layer = [] {
    if (const char* path = std::getenv("BULKHEAD_BENCH_LAYER")) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      return new std::string(ss.str());
    }
    std::string text;
    for (int i = 0; text.size() < (64u << 20); ++i) {
      text += "Package: libexample" + std::to_string(i) + "\nVersion: 1." + std::to_string(i % 97) +
              "-1\nDescription: generated text for benchmarks\n\n";
    }
    return new std::string(GzipOf(text));
  }();
  return *layer;
}

uint64_t Drain(bulkhead::archive::ByteSource& src) {
  static thread_local uint8_t buf[256 * 1024];
  uint64_t total = 0;
  for (;;) {
    auto n = src.Read(buf, sizeof(buf));
    if (!n.ok() || *n == 0) return total;
    total += *n;
  }
}

void Inflate(benchmark::State& state, bulkhead::archive::GzipEngine engine) {
  const std::string& layer = GzipLayer();
  uint64_t out = 0;
  for (auto _ : state) {
    bulkhead::archive::DecompressOptions opts;
    opts.gzip_engine = engine;
    auto src = OpenDecompressed(OpenMemory(layer, "layer"), opts);
    out = Drain(**src);
  }
  state.SetBytesProcessed(static_cast<int64_t>(out * state.iterations()));
}

void BM_InflateIsal(benchmark::State& s) { Inflate(s, bulkhead::archive::GzipEngine::kDefault); }
void BM_InflateZlib(benchmark::State& s) { Inflate(s, bulkhead::archive::GzipEngine::kZlib); }

void BM_Sha256(benchmark::State& state) {
  std::string data(64 << 20, 'x');
  for (auto _ : state) {
    bulkhead::Sha256 h;
    h.Update(data);
    benchmark::DoNotOptimize(h.FinishDigest());
  }
  state.SetBytesProcessed(static_cast<int64_t>(data.size() * state.iterations()));
}

void BM_TarWalk(benchmark::State& state) {
  // The inflated layer, walked without reading entry data (what an inventory scan does
  // for the files no analyzer wants).
  std::string tar;
  tar.resize(Drain(**OpenDecompressed(OpenMemory(GzipLayer(), "layer"), {})));
  {
    auto again = OpenDecompressed(OpenMemory(GzipLayer(), "layer"), {});
    size_t got = 0;
    while (got < tar.size()) {
      auto n = (*again)->Read(reinterpret_cast<uint8_t*>(tar.data()) + got, tar.size() - got);
      if (!n.ok() || *n == 0) break;
      got += *n;
    }
  }
  for (auto _ : state) {
    auto reader = bulkhead::archive::TarReader::Open(OpenMemory(tar, "tar"), {});
    bulkhead::archive::TarEntry e;
    size_t entries = 0;
    while (true) {
      auto more = (*reader)->Next(&e);
      if (!more.ok() || !*more) break;
      ++entries;
    }
    benchmark::DoNotOptimize(entries);
  }
  state.SetBytesProcessed(static_cast<int64_t>(tar.size() * state.iterations()));
}

BENCHMARK(BM_InflateIsal)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InflateZlib)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Sha256)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TarWalk)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
