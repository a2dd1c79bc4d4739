#include "bulkhead/archive/decompress.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/core/sha256.h"
#include "tests/testing/test_util.h"

namespace bulkhead::archive {
namespace {

using ::bulkhead::testing::CompressibleText;
using ::bulkhead::testing::Gzip;
using ::bulkhead::testing::RandomBytes;
using ::bulkhead::testing::TempDir;
using ::bulkhead::testing::Zstd;

constexpr uint64_t kNoLimit = uint64_t{1} << 40;

// gzip with FNAME, FCOMMENT, FEXTRA and FHCRC set, as `gzip` and Python write headers.
std::string GzipWithHeaderFields(std::string_view data) {
  gz_header h{};
  char name[] = "layer.tar";
  char comment[] = "made by a test";
  unsigned char extra[] = {'A', 'B', 2, 0, 'x', 'y'};
  h.name = reinterpret_cast<Bytef*>(name);
  h.comment = reinterpret_cast<Bytef*>(comment);
  h.extra = extra;
  h.extra_len = sizeof(extra);
  h.hcrc = 1;
  h.os = 3;
  return ::bulkhead::testing::Deflate(data, 16 + MAX_WBITS, 9, &h);
}

// Hands out at most `chunk` bytes per Read, to exercise refills at every offset.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t chunk) : data_(std::move(data)), chunk_(chunk) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    size_t n = std::min({size, chunk_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t chunk_;
  size_t pos_ = 0;
  std::string name_ = "trickle";
};

// Serves `good` bytes, then fails with an IOError.
class FailingSource final : public ByteSource {
 public:
  FailingSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    if (pos_ == data_.size()) {
      ++failures_;
      return Status::IOError("flaky disk");
    }
    size_t n = std::min(size, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  int failures_ = 0;

 private:
  std::string data_;
  size_t pos_ = 0;
  std::string name_ = "flaky";
};

Result<std::unique_ptr<ByteSource>> Open(std::string data, GzipEngine engine,
                                         uint64_t limit = kNoLimit,
                                         Compression* detected = nullptr) {
  DecompressOptions opts;
  opts.gzip_engine = engine;
  opts.max_output_bytes = limit;
  return OpenDecompressed(OpenMemory(std::move(data), "blob sha256:feed"), opts, detected);
}

// Decompresses `data` to its end.
Result<std::string> Inflate(std::string data, GzipEngine engine, uint64_t limit = kNoLimit) {
  BULKHEAD_ASSIGN_OR_RETURN(auto src, Open(std::move(data), engine, limit));
  return ReadAll(*src, kNoLimit);
}

class GzipEngineTest : public ::testing::TestWithParam<GzipEngine> {};

INSTANTIATE_TEST_SUITE_P(Engines, GzipEngineTest,
                         ::testing::Values(GzipEngine::kDefault, GzipEngine::kZlib),
                         [](const ::testing::TestParamInfo<GzipEngine>& info) {
                           return info.param == GzipEngine::kDefault ? "Default" : "Zlib";
                         });

TEST_P(GzipEngineTest, RoundTrip) {
  for (const std::string& data :
       {std::string(), std::string("x"), CompressibleText(100000), RandomBytes(3 << 20, 1),
        CompressibleText(1 << 20) + RandomBytes(700000, 2) + std::string(2 << 20, '\0')}) {
    SCOPED_TRACE(data.size());
    Compression detected = Compression::kNone;
    auto src = Open(Gzip(data), GetParam(), kNoLimit, &detected);
    ASSERT_TRUE(src.ok()) << src.error().ToString();
    EXPECT_EQ(detected, Compression::kGzip);
    Result<std::string> out = ReadAll(**src, kNoLimit);
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    EXPECT_EQ(out->size(), data.size());
    EXPECT_TRUE(*out == data);
  }
}

TEST_P(GzipEngineTest, BothEnginesAgree) {
  std::string data = CompressibleText(400000) + RandomBytes(400000, 3);
  std::string gz = Gzip(data);
  Result<std::string> a = Inflate(gz, GetParam());
  Result<std::string> b =
      Inflate(gz, GetParam() == GzipEngine::kZlib ? GzipEngine::kDefault : GzipEngine::kZlib);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ(Sha256Digest(*a), Sha256Digest(data));
  EXPECT_EQ(Sha256Digest(*b), Sha256Digest(data));
}

TEST_P(GzipEngineTest, MultiMember) {
  std::string a = CompressibleText(300000), b = RandomBytes(300000, 4), c = "tail";
  std::string gz = Gzip(a) + Gzip(b) + Gzip("") + Gzip(c);
  Result<std::string> out = Inflate(gz, GetParam());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE(*out == a + b + c);
}

TEST_P(GzipEngineTest, ManySmallMembers) {
  std::string gz, want;
  for (int i = 0; i < 200; ++i) {
    std::string part = "member " + std::to_string(i) + "\n";
    gz += Gzip(part);
    want += part;
  }
  Result<std::string> out = Inflate(gz, GetParam());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(*out, want);
}

TEST_P(GzipEngineTest, HeaderWithNameCommentExtraAndCrc) {
  std::string data = CompressibleText(50000);
  Result<std::string> out = Inflate(GzipWithHeaderFields(data), GetParam());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE(*out == data);
  // And as the second member of a stream.
  out = Inflate(Gzip("first") + GzipWithHeaderFields(data), GetParam());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE(*out == "first" + data);
}

TEST_P(GzipEngineTest, TrickledInputOneByteAtATime) {
  std::string data = CompressibleText(20000) + RandomBytes(5000, 5);
  std::string gz = Gzip(data) + GzipWithHeaderFields("second member");
  for (size_t chunk : {1, 2, 3, 7, 4096}) {
    SCOPED_TRACE(chunk);
    DecompressOptions opts;
    opts.gzip_engine = GetParam();
    auto src = OpenDecompressed(std::make_unique<TrickleSource>(gz, chunk), opts);
    ASSERT_TRUE(src.ok()) << src.error().ToString();
    Result<std::string> out = ReadAll(**src, kNoLimit);
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    EXPECT_TRUE(*out == data + "second member");
  }
}

TEST_P(GzipEngineTest, TinyOutputReads) {
  std::string data = CompressibleText(3000);
  auto src = Open(Gzip(data) + Gzip("!"), GetParam());
  ASSERT_TRUE(src.ok());
  std::string out;
  uint8_t byte;
  for (;;) {
    Result<size_t> n = (*src)->Read(&byte, 1);
    ASSERT_TRUE(n.ok()) << n.error().ToString();
    if (*n == 0) break;
    ASSERT_EQ(*n, 1u);
    out.push_back(static_cast<char>(byte));
  }
  EXPECT_EQ(out, data + "!");
  // The end is sticky.
  Result<size_t> again = (*src)->Read(&byte, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
}

TEST_P(GzipEngineTest, TruncatedIsCorruption) {
  std::string gz = Gzip(CompressibleText(200000) + RandomBytes(100000, 6));
  // Cut in the header, in the deflate data, in the trailer, and one byte short.
  for (size_t keep : {size_t{2}, size_t{5}, size_t{10}, gz.size() / 2, gz.size() - 8, gz.size() - 4,
                      gz.size() - 1}) {
    SCOPED_TRACE(keep);
    Result<std::string> out = Inflate(gz.substr(0, keep), GetParam());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
    EXPECT_NE(out.error().message().find("blob sha256:feed"), std::string::npos)
        << out.error().ToString();
  }
}

TEST_P(GzipEngineTest, TruncatedSecondMemberIsCorruption) {
  std::string second = Gzip(CompressibleText(10000));
  for (size_t keep : {size_t{2}, size_t{9}, second.size() - 1}) {
    SCOPED_TRACE(keep);
    Result<std::string> out = Inflate(Gzip("one") + second.substr(0, keep), GetParam());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
  }
}

TEST_P(GzipEngineTest, CorruptDeflateDataIsCorruption) {
  std::string gz = Gzip(CompressibleText(100000));
  int failures = 0;
  // Overwrite a run of bytes in the compressed body at several places.
  for (size_t at : {size_t{10}, size_t{12}, gz.size() / 3, gz.size() / 2}) {
    std::string bad = gz;
    for (size_t i = at; i < at + 16 && i < bad.size() - 8; ++i) bad[i] = static_cast<char>(0xff);
    Result<std::string> out = Inflate(bad, GetParam());
    ASSERT_FALSE(out.ok()) << "corruption at " << at << " not detected";
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
    EXPECT_NE(out.error().message().find("blob sha256:feed"), std::string::npos);
    ++failures;
  }
  EXPECT_EQ(failures, 4);
}

TEST_P(GzipEngineTest, BadCrcOrLengthIsCorruption) {
  std::string gz = Gzip(CompressibleText(10000));
  for (size_t at : {gz.size() - 8, gz.size() - 5, gz.size() - 4, gz.size() - 1}) {
    SCOPED_TRACE(at);
    std::string bad = gz;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    Result<std::string> out = Inflate(bad, GetParam());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
  }
}

TEST_P(GzipEngineTest, BadHeaderIsCorruption) {
  std::string gz = Gzip("hello");
  std::string bad = gz;
  bad[2] = 7;  // compression method other than deflate
  Result<std::string> out = Inflate(bad, GetParam());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
}

TEST_P(GzipEngineTest, BadOptionalHeaderFieldsAreCorruption) {
  std::string gz = GzipWithHeaderFields("payload");
  // FHCRC sits right before the deflate data: after "layer.tar\0made by a test\0".
  size_t comment_end = gz.find("made by a test") + std::string("made by a test").size();
  ASSERT_EQ(gz[comment_end], '\0');
  std::string bad_crc = gz;
  bad_crc[comment_end + 1] = static_cast<char>(bad_crc[comment_end + 1] ^ 0x40);
  std::string reserved = gz;
  reserved[3] = static_cast<char>(reserved[3] | 0x20);
  for (const std::string& bad :
       {bad_crc, reserved, gz.substr(0, 14), gz.substr(0, gz.find("layer.tar") + 4),
        gz.substr(0, comment_end)}) {
    Result<std::string> out = Inflate(bad, GetParam());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
  }
}

TEST_P(GzipEngineTest, TrailingGarbageIsCorruption) {
  std::string gz = Gzip(CompressibleText(5000));
  for (std::string tail :
       {std::string("x"), std::string("garbage after the end"), std::string(512, '\0'),
        std::string("\x1f"), std::string("\x1f\x8b"), std::string("\x1f\x8b\x08\x00")}) {
    SCOPED_TRACE(tail.size());
    Result<std::string> out = Inflate(gz + tail, GetParam());
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
    EXPECT_NE(out.error().message().find("blob sha256:feed"), std::string::npos);
  }
}

TEST_P(GzipEngineTest, OutputLimit) {
  std::string data(1 << 20, 'z');
  std::string gz = Gzip(data);
  Result<std::string> exact = Inflate(gz, GetParam(), data.size());
  ASSERT_TRUE(exact.ok()) << exact.error().ToString();
  EXPECT_EQ(exact->size(), data.size());

  Result<std::string> over = Inflate(gz, GetParam(), data.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), StatusCode::kResourceExhausted) << over.error().ToString();
  EXPECT_NE(over.error().message().find("blob sha256:feed"), std::string::npos);
}

TEST_P(GzipEngineTest, BombStopsEarly) {
  // 64 MiB of zeros compress to about 64 KiB; the reader must stop near the limit.
  constexpr uint64_t kLimit = 1 << 20;
  std::string gz = Gzip(std::string(64u << 20, '\0'));
  auto src = Open(gz, GetParam(), kLimit);
  ASSERT_TRUE(src.ok());
  std::vector<uint8_t> buf(64 * 1024);
  uint64_t total = 0;
  Status error;
  for (int i = 0; i < 100000; ++i) {
    Result<size_t> n = (*src)->Read(buf.data(), buf.size());
    if (!n.ok()) {
      error = n.error();
      break;
    }
    ASSERT_NE(*n, 0u) << "bomb read to its end";
    total += *n;
  }
  EXPECT_EQ(error.code(), StatusCode::kResourceExhausted);
  EXPECT_LE(total, kLimit);
  // Sticky.
  Result<size_t> again = (*src)->Read(buf.data(), buf.size());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), StatusCode::kResourceExhausted);
}

TEST_P(GzipEngineTest, SourceErrorPassesThroughAndSticks) {
  std::string gz = Gzip(RandomBytes(600000, 7));
  DecompressOptions opts;
  opts.gzip_engine = GetParam();
  auto src = OpenDecompressed(std::make_unique<FailingSource>(gz.substr(0, gz.size() / 2)), opts);
  ASSERT_TRUE(src.ok());
  Result<std::string> out = ReadAll(**src, kNoLimit);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), StatusCode::kIOError) << out.error().ToString();
  uint8_t b;
  Result<size_t> again = (*src)->Read(&b, 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), StatusCode::kIOError);
}

TEST(DecompressTest, EnginesReportIsal) {
  // The build links ISA-L where available; kDefault must still work without it.
  Result<std::string> out = Inflate(Gzip("abc"), GzipEngine::kDefault);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "abc");
  SUCCEED() << "ISA-L: " << HaveIsal();
}

TEST(DecompressTest, ZstdRoundTrip) {
  for (const std::string& data : {std::string(), std::string("z"), CompressibleText(300000),
                                  RandomBytes(1 << 20, 8), std::string(3 << 20, '\0')}) {
    SCOPED_TRACE(data.size());
    Compression detected = Compression::kNone;
    auto src = Open(Zstd(data), GzipEngine::kDefault, kNoLimit, &detected);
    ASSERT_TRUE(src.ok());
    EXPECT_EQ(detected, Compression::kZstd);
    Result<std::string> out = ReadAll(**src, kNoLimit);
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    EXPECT_TRUE(*out == data);
  }
}

TEST(DecompressTest, ZstdMultiFrameAndTrickle) {
  std::string a = CompressibleText(100000), b = RandomBytes(50000, 9);
  std::string z = Zstd(a) + Zstd(b);
  for (size_t chunk : {1, 5, 1 << 20}) {
    SCOPED_TRACE(chunk);
    auto src = OpenDecompressed(std::make_unique<TrickleSource>(z, chunk), DecompressOptions());
    ASSERT_TRUE(src.ok());
    Result<std::string> out = ReadAll(**src, kNoLimit);
    ASSERT_TRUE(out.ok()) << out.error().ToString();
    EXPECT_TRUE(*out == a + b);
  }
}

TEST(DecompressTest, ZstdTruncatedCorruptAndTrailingGarbage) {
  std::string z = Zstd(CompressibleText(200000) + RandomBytes(100000, 10));
  for (size_t keep : {size_t{4}, size_t{6}, z.size() / 2, z.size() - 1}) {
    SCOPED_TRACE(keep);
    Result<std::string> out = Inflate(z.substr(0, keep), GzipEngine::kDefault);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
    EXPECT_NE(out.error().message().find("blob sha256:feed"), std::string::npos);
  }
  // zstd frames carry no checksum by default, so damage to raw block bytes goes unseen
  // (layer digests catch that); damage to the frame header does not.
  std::string bad = z;
  bad[4] = static_cast<char>(0xff);
  Result<std::string> out = Inflate(bad, GzipEngine::kDefault);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();

  out = Inflate(z + "trailing garbage", GzipEngine::kDefault);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), StatusCode::kCorruption) << out.error().ToString();
}

TEST(DecompressTest, ZstdOutputLimit) {
  std::string data(1 << 20, 'q');
  Result<std::string> ok = Inflate(Zstd(data), GzipEngine::kDefault, data.size());
  ASSERT_TRUE(ok.ok());
  Result<std::string> over = Inflate(Zstd(data), GzipEngine::kDefault, 1000);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), StatusCode::kResourceExhausted);
}

TEST(DecompressTest, UncompressedPassesThrough) {
  for (const std::string& data :
       {std::string(), std::string("a"), std::string("ab"), std::string("abc"), std::string("\x1f"),
        std::string("\x1f\x8a rest"), std::string("\x28\xb5\x2f"),
        ::bulkhead::testing::MakeTar({{"etc/os-release", "ID=alpine\n"}}),
        RandomBytes(700000, 11)}) {
    SCOPED_TRACE(data.size());
    Compression detected = Compression::kGzip;
    auto src = Open(data, GzipEngine::kDefault, kNoLimit, &detected);
    ASSERT_TRUE(src.ok());
    EXPECT_EQ(detected, Compression::kNone);
    EXPECT_NE((*src)->name().find("blob sha256:feed"), std::string::npos);
    Result<std::string> out = ReadAll(**src, kNoLimit);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(*out == data);
  }
}

TEST(DecompressTest, UncompressedTrickleAndLimit) {
  std::string data = RandomBytes(10000, 12);
  auto src = OpenDecompressed(std::make_unique<TrickleSource>(data, 1), DecompressOptions());
  ASSERT_TRUE(src.ok());
  Result<std::string> out = ReadAll(**src, kNoLimit);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(*out == data);

  Result<std::string> over = Inflate(data, GzipEngine::kDefault, 9999);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), StatusCode::kResourceExhausted);
}

TEST(DecompressTest, SourceErrorWhileSniffing) {
  DecompressOptions opts;
  auto src = OpenDecompressed(std::make_unique<FailingSource>("\x1f"), opts);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().code(), StatusCode::kIOError);
}

TEST(DecompressTest, CompressionNames) {
  EXPECT_EQ(CompressionName(Compression::kNone), "none");
  EXPECT_EQ(CompressionName(Compression::kGzip), "gzip");
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

// ---- byte sources ----

Result<std::string> ReadVerified(std::string data, std::string digest, int64_t size) {
  auto src = VerifyDigest(OpenMemory(std::move(data), "blob sha256:0123"), std::move(digest), size);
  return ReadAll(*src, kNoLimit);
}

TEST(VerifyDigestTest, AcceptsMatchingContent) {
  std::string data = CompressibleText(200000);
  Result<std::string> out =
      ReadVerified(data, Sha256Digest(data), static_cast<int64_t>(data.size()));
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE(*out == data);
  // Unknown size: only the digest is checked.
  EXPECT_TRUE(ReadVerified(data, Sha256Digest(data), -1).ok());
  // No digest: only the size.
  EXPECT_TRUE(ReadVerified(data, "", static_cast<int64_t>(data.size())).ok());
  EXPECT_TRUE(ReadVerified("", Sha256Digest(""), 0).ok());
}

TEST(VerifyDigestTest, DigestMismatchIsCorruptionNamingTheSource) {
  std::string data = "hello";
  Result<std::string> out = ReadVerified(data, Sha256Digest("hellO"), 5);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code(), StatusCode::kCorruption);
  EXPECT_NE(out.error().message().find("blob sha256:0123"), std::string::npos)
      << out.error().ToString();
  EXPECT_NE(out.error().message().find(Sha256Digest("hellO")), std::string::npos);
  EXPECT_NE(out.error().message().find(Sha256Digest("hello")), std::string::npos);
}

TEST(VerifyDigestTest, SizeMismatchIsCorruptionNamingTheSource) {
  std::string data = CompressibleText(100000);
  for (int64_t size : {int64_t{0}, int64_t{99999}, int64_t{100001}, int64_t{1} << 40}) {
    SCOPED_TRACE(size);
    Result<std::string> out = ReadVerified(data, Sha256Digest(data), size);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().code(), StatusCode::kCorruption);
    EXPECT_NE(out.error().message().find("blob sha256:0123"), std::string::npos)
        << out.error().ToString();
  }
}

TEST(VerifyDigestTest, ErrorComesOnTheReadThatReachesTheEndAndSticks) {
  std::string data(1000, 'a');
  auto src = VerifyDigest(OpenMemory(data, "b"), Sha256Digest("other"), -1);
  uint8_t buf[4096];
  Result<size_t> first = src->Read(buf, sizeof(buf));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1000u);
  Result<size_t> end = src->Read(buf, sizeof(buf));
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code(), StatusCode::kCorruption);
  Result<size_t> again = src->Read(buf, sizeof(buf));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), StatusCode::kCorruption);
}

TEST(VerifyDigestTest, WrapsADecompressor) {
  std::string data = CompressibleText(50000);
  std::string gz = Gzip(data);
  auto blob =
      VerifyDigest(OpenMemory(gz, "layer"), Sha256Digest(gz), static_cast<int64_t>(gz.size()));
  auto plain = OpenDecompressed(std::move(blob), DecompressOptions());
  ASSERT_TRUE(plain.ok());
  auto diff = VerifyDigest(std::move(plain).value(), Sha256Digest(data), -1);
  Result<std::string> out = ReadAll(*diff, kNoLimit);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_TRUE(*out == data);

  auto wrong = VerifyDigest(OpenDecompressed(OpenMemory(gz, "layer"), DecompressOptions()).value(),
                            Sha256Digest("not the diff id"), -1);
  Result<std::string> bad = ReadAll(*wrong, kNoLimit);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.error().message().find("layer"), std::string::npos);
}

TEST(ComputeDigestTest, SetsDigestAtTheEnd) {
  std::string digest;
  auto src = ComputeDigest(OpenMemory("abc", "m"), &digest);
  uint8_t buf[2];
  ASSERT_TRUE(src->Read(buf, 2).ok());
  EXPECT_EQ(digest, "");
  Result<std::string> rest = ReadAll(*src, kNoLimit);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, "c");
  EXPECT_EQ(digest, Sha256Digest("abc"));
}

TEST(ReadAllTest, Limit) {
  std::string data = RandomBytes(300000, 13);
  auto src = OpenMemory(data, "mem");
  Result<std::string> exact = ReadAll(*src, data.size());
  ASSERT_TRUE(exact.ok());
  EXPECT_TRUE(*exact == data);

  auto src2 = OpenMemory(data, "mem");
  Result<std::string> over = ReadAll(*src2, data.size() - 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(over.error().message().find("mem"), std::string::npos);
}

TEST(SharedFileTest, OpenAndRanges) {
  TempDir dir;
  std::string path = dir.WriteFile("f.bin", "0123456789");
  auto file = SharedFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.error().ToString();
  EXPECT_EQ((*file)->size(), 10u);
  EXPECT_EQ((*file)->path(), path);

  auto mid = OpenFileRange(*file, 3, 4, "range");
  Result<std::string> got = ReadAll(*mid, kNoLimit);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "3456");
  EXPECT_EQ(mid->name(), "range");

  auto empty = OpenFileRange(*file, 10, 0, "empty");
  got = ReadAll(*empty, kNoLimit);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, "");

  // A range past the end of the file is a short file: Corruption naming the range.
  auto past = OpenFileRange(*file, 8, 10, "past");
  got = ReadAll(*past, kNoLimit);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code(), StatusCode::kCorruption);
  EXPECT_NE(got.error().message().find("past"), std::string::npos);
}

TEST(SharedFileTest, Errors) {
  TempDir dir;
  auto missing = SharedFile::Open(dir.path() + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.error().message().find(dir.path() + "/nope"), std::string::npos);

  auto directory = SharedFile::Open(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulkhead::archive
