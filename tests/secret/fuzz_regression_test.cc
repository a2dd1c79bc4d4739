// Inputs that fuzz/secret_fuzzer.cc once failed on (tests/secret/testdata/fuzz/), checked
// against the fuzzer's properties with readable failures: chunked and whole scans agree,
// results are report-safe and never hold the secret they report.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bulkhead/secret/text.h"
#include "tests/secret/secret_test_util.h"
#include "tests/testing/test_util.h"

namespace bulkhead::secret {
namespace {

TEST(FuzzRegressionTest, PropertiesHold) {
  const std::string dir = std::string(BULKHEAD_TESTDATA) + "/secret/testdata/fuzz";
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    SCOPED_TRACE(e.path().filename().string());
    const std::string data = ::bulkhead::testing::ReadFileOrDie(e.path().string());
    if (data.empty()) continue;
    const size_t chunk = 1 + static_cast<unsigned char>(data[0]) % 64;
    const std::string text = data.substr(1);
    ScanOptions all;
    all.scan_binary = true;
    const auto whole = testing::Scan(testing::BuiltinEngine(), text, SIZE_MAX, "fuzz.txt", all);
    const auto chunked = testing::Scan(testing::BuiltinEngine(), text, chunk, "fuzz.txt", all);
    EXPECT_EQ(testing::Describe(chunked), testing::Describe(whole)) << "chunk " << chunk;
    for (const SecretMatch& m : whole) {
      ASSERT_LE(m.offset + m.length, text.size());
      EXPECT_EQ(SanitizeForReport(m.masked_line), m.masked_line);
      const std::string raw = text.substr(m.offset, m.length);
      if (raw.size() >= 8) {
        EXPECT_FALSE(testing::LeaksSecret(m, raw)) << testing::Describe({m});
      }
    }
    ++n;
  }
  EXPECT_GE(n, 1u);
}

}  // namespace
}  // namespace bulkhead::secret
