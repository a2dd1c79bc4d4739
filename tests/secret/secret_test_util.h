// Helpers for the secret module's tests: compiling, scanning in chunks, random tokens.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bulkhead/secret/engine.h"
#include "bulkhead/secret/file_scanner.h"
#include "bulkhead/secret/rule.h"

namespace bulkhead::secret::testing {

inline constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
inline constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kDigits = "0123456789";
inline constexpr std::string_view kHex = "0123456789abcdef";
inline constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::string_view kBase64Url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Compiles `rules`, failing the test (and returning null) on error.
std::unique_ptr<Engine> CompileOrFail(const RuleSet& rules,
                                      std::vector<std::string>* warnings = nullptr,
                                      const CompileOptions& options = {});

/// The engine of the built-in rules, compiled once per test binary.
const Engine& BuiltinEngine();

/// Scans `content` as the file `path`, fed `chunk` bytes at a time. Failures of Feed or
/// Finish fail the test (ResourceExhausted is returned through *status when given).
std::vector<SecretMatch> Scan(const Engine& engine, std::string_view content,
                              size_t chunk = SIZE_MAX, std::string_view path = "file.txt",
                              const ScanOptions& options = {}, Status* status = nullptr);

/// One line per match: "line:col rule masked | masked_line".
std::string Describe(const std::vector<SecretMatch>& matches);

/// True when any text field of `m` contains `raw`.
bool LeaksSecret(const SecretMatch& m, std::string_view raw);

/// Random strings from a seed that is printed with every failure (set
/// BULKHEAD_TEST_SEED to replay one).
class Random {
 public:
  Random();
  uint64_t seed() const { return seed_; }
  std::string Token(std::string_view alphabet, size_t n);
  /// Like Token, but redraws strings that a placeholder heuristic would rightly reject
  /// ("xxxx", "fake", "todo", "example", runs of one character) or whose entropy is below
  /// `min_entropy`.
  std::string Secret(std::string_view alphabet, size_t n, double min_entropy = 3.0);
  uint64_t Uniform(uint64_t lo, uint64_t hi);

 private:
  uint64_t seed_;
  std::mt19937_64 gen_;
};

}  // namespace bulkhead::secret::testing
