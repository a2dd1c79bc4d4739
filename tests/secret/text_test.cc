#include "bulkhead/secret/text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace bulkhead::secret {
namespace {

TEST(TextTest, ShannonEntropy) {
  EXPECT_EQ(ShannonEntropy(""), 0.0);
  EXPECT_EQ(ShannonEntropy("aaaaaaaa"), 0.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abab"), 1.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcd"), 2.0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("0123456789abcdef"), 4.0);
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_DOUBLE_EQ(ShannonEntropy(all), 8.0);
  // The gitleaks test secret of .env.prod, over its 3.5 threshold.
  EXPECT_NEAR(ShannonEntropy("8ae31cacf141669ddfb5da"), 3.538, 0.001);
}

TEST(TextTest, MaskSecretNeverShowsTheWholeValue) {
  EXPECT_EQ(MaskSecret(""), "****");
  EXPECT_EQ(MaskSecret("hunter2"), "****");
  EXPECT_EQ(MaskSecret("hunter22"), "hu****");
  EXPECT_EQ(MaskSecret("AKIAABCDEFGHIJKLMNOP"), "AKIA****");
  EXPECT_EQ(MaskSecret("ghp_0123456789abcdefghijklmnopqrstuvwxyz"), "ghp_****yz");
  EXPECT_EQ(MaskSecret(std::string("ab\x01\xff"
                                   "cdefghijklmnopqrstuvwxyz",
                                   28)),
            "ab??****yz");
  for (size_t n = 0; n < 200; ++n) {
    const std::string s(n, 'x');
    const std::string m = MaskSecret(s);
    EXPECT_LE(m.size() - 4, n * 3 / 10 + 1) << n;  // At most ~30% of the bytes shown.
    if (n > 0) {
      EXPECT_EQ(m.find(s), std::string::npos) << n;
    }
  }
}

TEST(TextTest, LooksBinary) {
  EXPECT_FALSE(LooksBinary(""));
  EXPECT_FALSE(LooksBinary("plain text\nwith lines\n"));
  EXPECT_FALSE(LooksBinary("UTF-8: h\xc3\xa9llo w\xc3\xb6rld \xe2\x82\xac \xf0\x9f\x94\x91\n"));
  EXPECT_TRUE(LooksBinary(std::string("text\0more", 9)));
  // Latin-1 text has some invalid bytes, not many.
  EXPECT_FALSE(
      LooksBinary("caf\xe9 cr\xe8me br\xfbl\xe9"
                  "e and more plain words here"));
  std::string noise;
  for (int i = 0; i < 1000; ++i) noise += static_cast<char>(0x80 | (i * 37 % 128));
  EXPECT_TRUE(LooksBinary(noise));
  // A multi-byte sequence cut by the end of the sniffed bytes does not count.
  EXPECT_FALSE(LooksBinary("abc\xe2\x82"));
  // Only the first kBinarySniffBytes matter.
  std::string late(kBinarySniffBytes, 'a');
  late += '\0';
  EXPECT_FALSE(LooksBinary(late));
}

TEST(TextTest, SanitizeForReport) {
  EXPECT_EQ(SanitizeForReport("plain"), "plain");
  EXPECT_EQ(SanitizeForReport("a\tb"), "a b");
  EXPECT_EQ(SanitizeForReport("a\x1b[31mb\x7f"), "a?[31mb?");
  EXPECT_EQ(SanitizeForReport("h\xc3\xa9llo"), "h\xc3\xa9llo");
  EXPECT_EQ(SanitizeForReport("bad \xff\xfe end"), "bad ?? end");
  EXPECT_EQ(SanitizeForReport("cut \xe2\x82"), "cut ??");
  EXPECT_EQ(SanitizeForReport("surrogate \xed\xa0\x80"), "surrogate ???");
  EXPECT_EQ(SanitizeForReport("overlong \xc0\xaf"), "overlong ??");
  // Byte for byte, whatever the input.
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  all += "\xe2\x82\xac\xf0\x9f\x94\x91\xe2";
  EXPECT_EQ(SanitizeForReport(all).size(), all.size());
}

}  // namespace
}  // namespace bulkhead::secret
