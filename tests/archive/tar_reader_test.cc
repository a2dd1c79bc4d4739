#include "bulkhead/archive/tar_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "bulkhead/archive/byte_source.h"
#include "bulkhead/archive/decompress.h"
#include "bulkhead/core/path.h"
#include "bulkhead/core/sha256.h"
#include "tests/testing/test_util.h"

namespace bulkhead::archive {
namespace {

using ::bulkhead::testing::Gzip;
using ::bulkhead::testing::MakeTar;
using ::bulkhead::testing::RandomBytes;
using ::bulkhead::testing::TarSpec;

struct Got {
  TarEntry entry;
  std::string data;
};

// Reads every entry of `source`, with its data when `read_data`.
Status ReadAllEntries(std::unique_ptr<ByteSource> source, std::vector<Got>* out,
                      const TarLimits& limits = TarLimits(), bool read_data = true) {
  BULKHEAD_ASSIGN_OR_RETURN(auto reader, TarReader::Open(std::move(source), limits));
  for (;;) {
    Got g;
    BULKHEAD_ASSIGN_OR_RETURN(bool more, reader->Next(&g.entry));
    if (!more) break;
    if (read_data) {
      uint8_t buf[7000];
      for (;;) {
        BULKHEAD_ASSIGN_OR_RETURN(size_t n, reader->ReadData(buf, sizeof(buf)));
        if (n == 0) break;
        g.data.append(reinterpret_cast<char*>(buf), n);
      }
    }
    out->push_back(std::move(g));
  }
  return Status::OK();
}

Status ReadTar(std::string tar, std::vector<Got>* out, const TarLimits& limits = TarLimits(),
               bool read_data = true) {
  return ReadAllEntries(OpenMemory(std::move(tar), "layer.tar"), out, limits, read_data);
}

// Hands out at most `chunk` bytes per Read; `*consumed` follows the position.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string data, size_t chunk, size_t* consumed = nullptr)
      : data_(std::move(data)), chunk_(chunk), consumed_(consumed) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    size_t n = std::min({size, chunk_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    if (consumed_) *consumed_ = pos_;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t chunk_;
  size_t* consumed_;
  size_t pos_ = 0;
  std::string name_ = "trickle.tar";
};

std::vector<TarSpec> SampleEntries() {
  return {
      {"etc", "", TarSpec::kDir, 0755},
      {"etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n", TarSpec::kFile, 0644},
      {"bin/busybox", RandomBytes(100000, 1), TarSpec::kFile, 04755},
      {"bin/sh", "/bin/busybox", TarSpec::kSymlink, 0777},
      {"usr/share/doc/README", "read me\n", TarSpec::kFile, 0444},
      {"usr/share/doc/README.hardlink", "usr/share/doc/README", TarSpec::kHardlink, 0444},
      {"empty", "", TarSpec::kFile, 0600},
  };
}

TEST(TarReaderTest, ReadsEntriesOfEveryType) {
  std::vector<Got> got;
  Status s = ReadTar(MakeTar(SampleEntries()), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.size(), 7u);

  EXPECT_EQ(CanonicalizePath(got[0].entry.path).path, "/etc");
  EXPECT_EQ(got[0].entry.type, EntryType::kDirectory);
  EXPECT_EQ(got[0].entry.mode, 0755u);
  EXPECT_EQ(got[0].entry.size, 0u);

  EXPECT_EQ(got[1].entry.path, "etc/os-release");
  EXPECT_EQ(got[1].entry.type, EntryType::kFile);
  EXPECT_EQ(got[1].entry.mode, 0644u);
  EXPECT_EQ(got[1].entry.size, 28u);
  EXPECT_EQ(got[1].data, "ID=alpine\nVERSION_ID=3.19.1\n");

  EXPECT_EQ(got[2].entry.path, "bin/busybox");
  EXPECT_EQ(got[2].entry.mode, 04755u);
  EXPECT_EQ(got[2].entry.size, 100000u);
  EXPECT_TRUE(got[2].data == RandomBytes(100000, 1));

  EXPECT_EQ(got[3].entry.path, "bin/sh");
  EXPECT_EQ(got[3].entry.type, EntryType::kSymlink);
  EXPECT_EQ(got[3].entry.link_target, "/bin/busybox");
  EXPECT_EQ(got[3].entry.size, 0u);
  EXPECT_EQ(got[3].data, "");

  EXPECT_EQ(got[4].entry.type, EntryType::kFile);
  EXPECT_EQ(got[4].data, "read me\n");

  EXPECT_EQ(got[5].entry.path, "usr/share/doc/README.hardlink");
  EXPECT_EQ(got[5].entry.type, EntryType::kHardlink);
  EXPECT_EQ(got[5].entry.link_target, "usr/share/doc/README");
  EXPECT_EQ(got[5].data, "");

  EXPECT_EQ(got[6].entry.path, "empty");
  EXPECT_EQ(got[6].entry.type, EntryType::kFile);
  EXPECT_EQ(got[6].entry.size, 0u);
  EXPECT_EQ(got[6].data, "");
}

TEST(TarReaderTest, SkipsUnreadAndPartlyReadData) {
  std::string tar = MakeTar(SampleEntries());
  std::vector<Got> skipped;
  ASSERT_TRUE(ReadTar(tar, &skipped, TarLimits(), /*read_data=*/false).ok());
  ASSERT_EQ(skipped.size(), 7u);
  EXPECT_EQ(skipped[6].entry.path, "empty");

  auto reader = TarReader::Open(OpenMemory(tar, "t"), TarLimits());
  ASSERT_TRUE(reader.ok());
  TarEntry e;
  int files = 0;
  for (;;) {
    Result<bool> more = (*reader)->Next(&e);
    ASSERT_TRUE(more.ok()) << more.error().ToString();
    if (!*more) break;
    uint8_t buf[3];
    Result<size_t> n = (*reader)->ReadData(buf, sizeof(buf));  // a few bytes only
    ASSERT_TRUE(n.ok());
    if (e.type == EntryType::kFile && e.size > 0) {
      EXPECT_EQ(*n, 3u);
      ++files;
    }
  }
  EXPECT_EQ(files, 3);
  EXPECT_EQ((*reader)->entries_read(), 7u);
  // The end is sticky.
  Result<bool> again = (*reader)->Next(&e);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(TarReaderTest, TrickledSourceGivesSameEntries) {
  std::string tar = MakeTar(SampleEntries());
  for (size_t chunk : {1, 100, 511, 513, 4096}) {
    SCOPED_TRACE(chunk);
    std::vector<Got> got;
    Status s = ReadAllEntries(std::make_unique<TrickleSource>(tar, chunk), &got);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(got.size(), 7u);
    EXPECT_TRUE(got[2].data == RandomBytes(100000, 1));
  }
}

TEST(TarReaderTest, ReadsGzipThroughDecompressor) {
  std::string tar = MakeTar(SampleEntries());
  auto plain = OpenDecompressed(OpenMemory(Gzip(tar), "layer.tar.gz"), DecompressOptions());
  ASSERT_TRUE(plain.ok());
  std::vector<Got> got;
  Status s = ReadAllEntries(std::move(plain).value(), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.size(), 7u);
}

TEST(TarReaderTest, LongPathsAndLinkTargets) {
  std::string long_dir;
  for (int i = 0; i < 30; ++i) long_dir += "component-" + std::to_string(i) + "/";
  std::string long_path = long_dir + "file.txt";
  std::string long_target = "/" + long_dir + "target";
  ASSERT_GT(long_path.size(), 255u);
  std::vector<Got> got;
  Status s = ReadTar(MakeTar({{long_path, "x"}, {"link", long_target, TarSpec::kSymlink}}), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].entry.path, long_path);
  EXPECT_EQ(got[0].data, "x");
  EXPECT_EQ(got[1].entry.link_target, long_target);
}

TEST(TarReaderTest, DigestWrapperIsCheckedAtTheEnd) {
  std::string tar = MakeTar(SampleEntries());
  std::vector<Got> got;
  Status ok = ReadAllEntries(VerifyDigest(OpenMemory(tar, "layer"), Sha256Digest(tar), -1), &got);
  ASSERT_TRUE(ok.ok()) << ok.ToString();

  // Next() reads the source to its very end before returning false, so a wrong digest
  // fails the walk even when the end-of-archive blocks come before trailing bytes.
  got.clear();
  Status bad =
      ReadAllEntries(VerifyDigest(OpenMemory(tar, "layer"), Sha256Digest("other"), -1), &got);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kCorruption);
  EXPECT_NE(bad.message().find("layer"), std::string::npos);
}

TEST(TarReaderTest, DrainsTheSourceAfterTheEndBlocks) {
  std::string tar = MakeTar({{"a", "1"}}) + std::string(8192, '\0');
  size_t consumed = 0;
  std::vector<Got> got;
  ASSERT_TRUE(ReadAllEntries(std::make_unique<TrickleSource>(tar, 512, &consumed), &got).ok());
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(consumed, tar.size());
}

// ---- the end of the stream ----

constexpr size_t kBlock = 512;

TEST(TarReaderTest, EndsWithoutPaddingOrEndBlocks) {
  // Debian's umoci writes layers that stop right after the last entry's data.
  std::string content(67, 'u');
  std::string tar = MakeTar({{"etc/os-release", content}});
  ASSERT_GE(tar.size(), kBlock + 67);
  std::vector<Got> got;
  Status s = ReadTar(tar.substr(0, kBlock + 67), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, content);

  // The same when the data is skipped rather than read.
  got.clear();
  s = ReadTar(tar.substr(0, kBlock + 67), &got, TarLimits(), /*read_data=*/false);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.size(), 1u);
}

TEST(TarReaderTest, EndsWithoutPaddingWhateverTheReadSizes) {
  std::string tar = MakeTar({{"a", "1"}, {"etc/os-release", std::string(67, 'u')}});
  std::string cut = tar.substr(0, 3 * kBlock + 67);
  for (size_t chunk : {1, 67, 512, 579, 1 << 20}) {
    SCOPED_TRACE(chunk);
    std::vector<Got> got;
    Status s = ReadAllEntries(std::make_unique<TrickleSource>(cut, chunk), &got);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].data, std::string(67, 'u'));
  }
}

TEST(TarReaderTest, OneEndBlockOnly) {
  std::string tar = MakeTar({{"a", "1"}});
  std::vector<Got> got;
  Status s = ReadTar(tar.substr(0, 3 * kBlock), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.size(), 1u);
}

TEST(TarReaderTest, EndsWithoutEndBlocksAfterSeveralEntries) {
  std::string two = MakeTar({{"a", std::string(100, 'a')}, {"b", std::string(67, 'b')}});
  // Find where b's data ends: two entries of 1 header + 1 data block each.
  for (size_t keep : {4 * kBlock - (kBlock - 67), 4 * kBlock, 4 * kBlock + kBlock,
                      4 * kBlock - (kBlock - 67) + 100}) {
    SCOPED_TRACE(keep);
    std::vector<Got> got;
    Status s = ReadTar(two.substr(0, keep), &got);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].data, std::string(67, 'b'));
  }
}

TEST(TarReaderTest, EndsWithoutEndBlocksAfterDirectoryOrLink) {
  std::string tar = MakeTar({{"a", "1"}, {"d", "", TarSpec::kDir}});
  std::vector<Got> got;
  Status s = ReadTar(tar.substr(0, 3 * kBlock), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.size(), 2u);
}

TEST(TarReaderTest, DataCutShortIsAnError) {
  std::string content = RandomBytes(5000, 2);
  std::string tar = MakeTar({{"big", content}, {"after", "x"}});
  for (size_t keep : {kBlock + 1, kBlock + 67, kBlock + 4096, kBlock + 4999}) {
    for (bool read_data : {true, false}) {
      SCOPED_TRACE(::testing::Message() << keep << " read_data=" << read_data);
      std::vector<Got> got;
      Status s = ReadTar(tar.substr(0, keep), &got, TarLimits(), read_data);
      ASSERT_FALSE(s.ok()) << "a cut at " << keep << " went unnoticed";
      EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
      EXPECT_NE(s.message().find("layer.tar"), std::string::npos) << s.ToString();
    }
  }
}

TEST(TarReaderTest, LastEntryDataCutShortIsAnError) {
  std::string tar = MakeTar({{"first", "1"}, {"last", std::string(2000, 'z')}});
  std::vector<Got> got;
  Status s = ReadTar(tar.substr(0, 4 * kBlock + 10), &got);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
}

TEST(TarReaderTest, HeaderCutShortIsAnError) {
  std::string tar = MakeTar({{"first", "1"}, {"second", "2"}});
  // The first entry is complete; the second header is cut.
  for (size_t extra : {1, 100, 300, 511}) {
    for (size_t chunk : {size_t{1}, size_t{1} << 20}) {
      SCOPED_TRACE(::testing::Message() << extra << " chunk " << chunk);
      std::vector<Got> got;
      Status s = ReadAllEntries(
          std::make_unique<TrickleSource>(tar.substr(0, 2 * kBlock + extra), chunk), &got);
      ASSERT_FALSE(s.ok()) << "a partial header was taken for the end of the archive";
      EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    }
  }
  // The same for a partial end-of-archive block.
  std::string one = MakeTar({{"first", "1"}});
  for (size_t extra : {1, 100}) {
    SCOPED_TRACE(extra);
    std::vector<Got> got;
    Status s = ReadTar(one.substr(0, 2 * kBlock + extra), &got);
    ASSERT_FALSE(s.ok()) << "a partial header was taken for the end of the archive";
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  }
}

TEST(TarReaderTest, CutAfterAPaxHeaderIsAnError) {
  // "a" (header + data), then the pax header and its body for the long name, then cut.
  std::string tar = MakeTar({{"a", "1"}, {std::string(300, 'p'), "data"}});
  std::vector<Got> got;
  Status s = ReadTar(tar.substr(0, 4 * kBlock), &got);
  ASSERT_FALSE(s.ok()) << "an entry with only its pax header was dropped silently";
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  // Cut after the long entry's own header: its data is missing.
  got.clear();
  s = ReadTar(tar.substr(0, 5 * kBlock), &got);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
}

TEST(TarReaderTest, EmptyInputHasNoEntries) {
  std::vector<Got> got;
  Status s = ReadTar("", &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(got.empty());
}

TEST(TarReaderTest, OnlyEndBlocks) {
  std::vector<Got> got;
  Status s = ReadTar(std::string(1024, '\0'), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(got.empty());
  s = ReadTar(MakeTar({}), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(got.empty());
}

TEST(TarReaderTest, GarbageIsCorruption) {
  for (const std::string& junk :
       {std::string("this is not a tar archive at all"), std::string(2048, 'x'),
        RandomBytes(10000, 3), Gzip(MakeTar({{"a", "1"}}))}) {
    SCOPED_TRACE(junk.size());
    std::vector<Got> got;
    Status s = ReadTar(junk, &got);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    EXPECT_NE(s.message().find("layer.tar"), std::string::npos) << s.ToString();
  }
}

TEST(TarReaderTest, BadChecksumInSecondHeaderIsCorruption) {
  std::string tar = MakeTar({{"first", "1"}, {"second", "2"}});
  tar[2 * kBlock + 3] ^= 0x5a;  // the name of the second entry
  std::vector<Got> got;
  Status s = ReadTar(tar, &got);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("layer.tar"), std::string::npos);
}

TEST(TarReaderTest, ErrorsAreSticky) {
  std::string tar = MakeTar({{"first", std::string(3000, 'f')}});
  auto reader = TarReader::Open(OpenMemory(tar.substr(0, kBlock + 1000), "cut"), TarLimits());
  ASSERT_TRUE(reader.ok());
  TarEntry e;
  Result<bool> first = (*reader)->Next(&e);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(*first);
  std::vector<uint8_t> buf(8192);
  Status error;
  for (int i = 0; i < 100 && error.ok(); ++i) {
    Result<size_t> n = (*reader)->ReadData(buf.data(), buf.size());
    if (!n.ok()) error = n.error();
  }
  ASSERT_FALSE(error.ok());
  Result<bool> next = (*reader)->Next(&e);
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code(), error.code());
  Result<size_t> data = (*reader)->ReadData(buf.data(), buf.size());
  ASSERT_FALSE(data.ok());
}

class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(uint8_t* buf, size_t size) override {
    if (pos_ == data_.size()) return Status::IOError("disk gone");
    size_t n = std::min(size, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  size_t pos_ = 0;
  std::string name_ = "failing";
};

TEST(TarReaderTest, SourceErrorBeatsLibarchiveMessage) {
  std::string tar = MakeTar({{"a", std::string(3000, 'a')}, {"b", "b"}});
  std::vector<Got> got;
  Status s = ReadAllEntries(std::make_unique<FailingSource>(tar.substr(0, 2000)), &got);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIOError) << s.ToString();
  EXPECT_EQ(s.message(), "disk gone");
}

// ---- limits ----

TEST(TarReaderTest, MaxEntries) {
  std::vector<TarSpec> specs;
  for (int i = 0; i < 10; ++i) specs.push_back({"f" + std::to_string(i), "x"});
  std::string tar = MakeTar(specs);

  TarLimits limits;
  limits.max_entries = 10;
  std::vector<Got> got;
  ASSERT_TRUE(ReadTar(tar, &got, limits).ok());
  EXPECT_EQ(got.size(), 10u);

  limits.max_entries = 9;
  got.clear();
  Status s = ReadTar(tar, &got, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_EQ(got.size(), 9u);
  EXPECT_NE(s.message().find("layer.tar"), std::string::npos);
}

TEST(TarReaderTest, MaxPathBytes) {
  std::string path(300, 'p');
  std::string tar = MakeTar({{"short", "1"}, {path, "2"}});
  TarLimits limits;
  limits.max_path_bytes = 300;
  std::vector<Got> got;
  ASSERT_TRUE(ReadTar(tar, &got, limits).ok());
  EXPECT_EQ(got.size(), 2u);

  limits.max_path_bytes = 299;
  got.clear();
  Status s = ReadTar(tar, &got, limits);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << s.ToString();
  EXPECT_EQ(got.size(), 1u);
}

TEST(TarReaderTest, UidGidAndSpecialFiles) {
  // A ustar header written by hand: a FIFO owned by 1000:1001.
  std::string h(kBlock, '\0');
  auto put = [&](size_t off, const std::string& v) { std::memcpy(&h[off], v.data(), v.size()); };
  put(0, "run/fifo");
  put(100, "0000644");
  put(108, "0001750");
  put(116, "0001751");
  put(124, "00000000000");
  put(136, "00000000000");
  h[156] = '6';
  put(257, std::string("ustar\0"
                       "00",
                       8));
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof(chk), "%06o", sum);
  std::memcpy(&h[148], chk, 7);
  std::vector<Got> got;
  Status s = ReadTar(h + std::string(1024, '\0'), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].entry.type, EntryType::kOther);
  EXPECT_EQ(got[0].entry.uid, 1000u);
  EXPECT_EQ(got[0].entry.gid, 1001u);
  EXPECT_EQ(got[0].entry.mode, 0644u);
}

}  // namespace
}  // namespace bulkhead::archive
