#include "bulkhead/core/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace bulkhead {
namespace {

constexpr const char* kEmpty =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbc =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// FIPS 180-2 appendix B.2 (two blocks) and B.3 (one million 'a').
constexpr const char* kTwoBlock =
    "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* kMillionA =
    "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr const char* kTwoBlockInput = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Digest(""), kEmpty);
  EXPECT_EQ(Sha256Digest("abc"), kAbc);
  EXPECT_EQ(Sha256Digest(kTwoBlockInput), kTwoBlock);
  EXPECT_EQ(Sha256Digest(std::string(1000000, 'a')), kMillionA);
}

TEST(Sha256Test, BinaryInputWithNuls) {
  std::string zeros(64, '\0');
  // sha256 of 64 zero bytes.
  EXPECT_EQ(Sha256Digest(zeros),
            "sha256:f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
}

TEST(Sha256Test, IncrementalMatchesOneShotForEverySplit) {
  const std::string data = kTwoBlockInput;
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    Sha256 h;
    h.Update(std::string_view(data).substr(0, cut));
    h.Update(data.data() + cut, data.size() - cut);
    EXPECT_EQ(h.FinishDigest(), kTwoBlock) << "cut at " << cut;
  }
}

TEST(Sha256Test, ManySmallUpdates) {
  Sha256 h;
  for (int i = 0; i < 1000000; i += 1000) h.Update(std::string(1000, 'a'));
  EXPECT_EQ(h.FinishDigest(), kMillionA);
}

TEST(Sha256Test, EmptyUpdatesChangeNothing) {
  Sha256 h;
  h.Update("");
  h.Update(nullptr, 0);
  h.Update("abc");
  h.Update("");
  EXPECT_EQ(h.FinishDigest(), kAbc);
}

TEST(Sha256Test, FinishResetsTheHasher) {
  Sha256 h;
  h.Update("abc");
  EXPECT_EQ(h.FinishDigest(), kAbc);
  EXPECT_EQ(h.FinishDigest(), kEmpty);
  h.Update("abc");
  EXPECT_EQ(h.FinishDigest(), kAbc);
}

TEST(Sha256Test, MoveKeepsState) {
  Sha256 a;
  a.Update("ab");
  Sha256 b(std::move(a));
  b.Update("c");
  EXPECT_EQ(b.FinishDigest(), kAbc);

  Sha256 c;
  c.Update("garbage");
  Sha256 d;
  d.Update("a");
  c = std::move(d);
  c.Update("bc");
  EXPECT_EQ(c.FinishDigest(), kAbc);
}

TEST(Sha256Test, DigestIsWellFormed) {
  EXPECT_TRUE(IsSha256Digest(Sha256Digest("anything")));
  EXPECT_TRUE(IsSha256Digest(kEmpty));
}

TEST(IsSha256DigestTest, Rejects) {
  const std::string hex64(64, 'a');
  EXPECT_TRUE(IsSha256Digest("sha256:" + hex64));
  EXPECT_TRUE(
      IsSha256Digest("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));

  EXPECT_FALSE(IsSha256Digest(""));
  EXPECT_FALSE(IsSha256Digest("sha256:"));
  EXPECT_FALSE(IsSha256Digest(hex64));                             // no algorithm
  EXPECT_FALSE(IsSha256Digest("sha256:" + hex64.substr(1)));       // 63 digits
  EXPECT_FALSE(IsSha256Digest("sha256:" + hex64 + "a"));           // 65 digits
  EXPECT_FALSE(IsSha256Digest("sha256:" + std::string(64, 'A')));  // upper case
  EXPECT_FALSE(IsSha256Digest("SHA256:" + hex64));
  EXPECT_FALSE(IsSha256Digest("sha512:" + hex64));
  EXPECT_FALSE(IsSha256Digest("sha256:" + hex64.substr(1) + "g"));  // not hex
  EXPECT_FALSE(IsSha256Digest("sha256:../../etc"));
  EXPECT_FALSE(IsSha256Digest("sha256:" + hex64.substr(8) + "/../../x"));
  EXPECT_FALSE(IsSha256Digest("sha256: " + hex64.substr(1)));
  EXPECT_FALSE(IsSha256Digest(" sha256:" + hex64.substr(1)));
  EXPECT_FALSE(IsSha256Digest(std::string("sha256:") + std::string(63, 'a') + '\0'));
}

}  // namespace
}  // namespace bulkhead
