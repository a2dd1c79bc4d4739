// Version comparison throughput, in pairs compared per second, for the schemes that
// vulnerability matching calls millions of times (dpkg, rpm, apk) and, for reference,
// the others. Inputs: realistic versions built from a fixed seed, compared as
// neighbouring pairs of a shuffled list, so that most pairs share a long prefix (the
// slow case) and some differ early.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "bulkhead/version/version.h"

namespace {

using bulkhead::version::Scheme;

std::vector<std::string> MakeVersions(Scheme scheme) {
  std::mt19937_64 rng(42);
  auto num = [&](int max) { return std::to_string(rng() % max); };
  std::vector<std::string> out;
  for (int i = 0; i < 4096; ++i) {
    std::string v;
    switch (scheme) {
      case Scheme::kDpkg:
        v = (rng() % 4 == 0 ? num(3) + ":" : "") + num(3) + "." + num(40) + "." + num(20) +
            (rng() % 3 == 0 ? "+dfsg" : "") + "-" + num(5) +
            (rng() % 3 == 0 ? "~deb" + num(13) + "u" + num(4) : "") +
            (rng() % 4 == 0 ? "ubuntu0." + num(24) + ".04." + num(3) : "");
        break;
      case Scheme::kRpm:
        v = (rng() % 5 == 0 ? num(3) + ":" : "") + num(5) + "." + num(20) + "." + num(300) +
            (rng() % 5 == 0 ? "~rc" + num(3) : "") + "-" + num(600) + "." + num(10) + ".el" +
            num(10) + "_" + num(8);
        break;
      case Scheme::kApk:
        v = num(4) + "." + num(30) + "." + num(20) +
            (rng() % 4 == 0 ? std::string("_") + (rng() % 2 ? "rc" : "p") + num(5) : "") + "-r" +
            num(12);
        break;
      case Scheme::kPep440:
        v = num(4) + "." + num(30) + "." + num(20) + (rng() % 4 == 0 ? "rc" + num(3) : "") +
            (rng() % 6 == 0 ? ".post" + num(3) : "");
        break;
      case Scheme::kMaven:
        v = num(4) + "." + num(30) + "." + num(20) +
            (rng() % 3 == 0 ? (rng() % 2 ? "-SNAPSHOT" : ".Final") : "");
        break;
      default:
        v = num(4) + "." + num(30) + "." + num(20) + (rng() % 4 == 0 ? "-rc." + num(3) : "");
        break;
    }
    out.push_back(std::move(v));
  }
  return out;
}

void BM_Compare(benchmark::State& state, Scheme scheme) {
  const std::vector<std::string> versions = MakeVersions(scheme);
  size_t i = 0;
  int64_t pairs = 0;
  for (auto _ : state) {
    const std::string& a = versions[i];
    const std::string& b = versions[(i + 1) & 4095];
    benchmark::DoNotOptimize(bulkhead::version::Compare(scheme, a, b));
    i = (i + 1) & 4095;
    ++pairs;
  }
  state.SetItemsProcessed(pairs);
  state.SetLabel("items/s = pairs compared per second");
}

// The common case in matching: an installed version against a fix that shares most of
// it (same upstream, different revision).
void BM_CompareNearlyEqual(benchmark::State& state, Scheme scheme, const char* a, const char* b) {
  int64_t pairs = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bulkhead::version::Compare(scheme, a, b));
    ++pairs;
  }
  state.SetItemsProcessed(pairs);
}

BENCHMARK_CAPTURE(BM_Compare, dpkg, Scheme::kDpkg);
BENCHMARK_CAPTURE(BM_Compare, rpm, Scheme::kRpm);
BENCHMARK_CAPTURE(BM_Compare, apk, Scheme::kApk);
BENCHMARK_CAPTURE(BM_Compare, semver, Scheme::kSemver);
BENCHMARK_CAPTURE(BM_Compare, pep440, Scheme::kPep440);
BENCHMARK_CAPTURE(BM_Compare, maven, Scheme::kMaven);
BENCHMARK_CAPTURE(BM_Compare, gem, Scheme::kGem);
BENCHMARK_CAPTURE(BM_CompareNearlyEqual, dpkg, Scheme::kDpkg, "1:2.30.2-1+deb11u2",
                  "1:2.30.2-1+deb11u3");
BENCHMARK_CAPTURE(BM_CompareNearlyEqual, rpm, Scheme::kRpm, "0:3.10.0-1160.83.1.el7",
                  "0:3.10.0-1160.90.1.el7");
BENCHMARK_CAPTURE(BM_CompareNearlyEqual, apk, Scheme::kApk, "1.36.1-r29", "1.36.1-r31");

}  // namespace

BENCHMARK_MAIN();
