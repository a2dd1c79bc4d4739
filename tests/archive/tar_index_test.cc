#include "bulkhead/archive/tar_index.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "bulkhead/core/sha256.h"
#include "tests/testing/test_util.h"

namespace bulkhead::archive {
namespace {

using ::bulkhead::testing::Gzip;
using ::bulkhead::testing::MakeTar;
using ::bulkhead::testing::RandomBytes;
using ::bulkhead::testing::TarSpec;
using ::bulkhead::testing::TempDir;
using ::bulkhead::testing::Zstd;

constexpr size_t kBlock = 512;
constexpr uint64_t kMax = 1 << 30;

// Writes the header checksum of the 512-byte block at `h`.
void FixChecksum(char* h) {
  std::memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += static_cast<unsigned char>(h[i]);
  char chk[8];
  std::snprintf(chk, sizeof(chk), "%06o", sum);
  std::memcpy(h + 148, chk, 7);
}

class TarIndexTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<TarIndex>> Index(const std::string& bytes,
                                          const TarIndexLimits& limits = TarIndexLimits()) {
    path_ = dir_.WriteFile("archive-" + std::to_string(++n_) + ".tar", bytes);
    return TarIndex::Open(path_, limits);
  }
  std::string Read(const TarIndex& index, std::string_view member) {
    Result<std::string> r = index.ReadMember(member, kMax);
    return r.ok() ? *r : "<" + r.error().ToString() + ">";
  }

  TempDir dir_;
  std::string path_;
  int n_ = 0;
};

std::vector<TarSpec> Layout() {
  return {
      {"oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"},
      {"index.json", "{}"},
      {"blobs", "", TarSpec::kDir, 0755},
      {"blobs/sha256", "", TarSpec::kDir, 0755},
      {"blobs/sha256/aaaa", RandomBytes(70000, 1)},
      {"blobs/sha256/bbbb", "config"},
      {"abc/layer.tar", "../blobs/sha256/aaaa", TarSpec::kSymlink, 0777},
      {"abs-link", "/blobs/sha256/bbbb", TarSpec::kSymlink, 0777},
      {"chain", "abs-link", TarSpec::kSymlink, 0777},
      {"hard", "blobs/sha256/bbbb", TarSpec::kHardlink},
      {"hard-to-link", "abc/layer.tar", TarSpec::kHardlink},
      {"dangling", "nowhere", TarSpec::kSymlink, 0777},
      {"outside", "../../../../etc/passwd", TarSpec::kSymlink, 0777},
      {"dirlink", "blobs/sha256", TarSpec::kSymlink, 0777},
  };
}

TEST_F(TarIndexTest, IndexesMembers) {
  auto index = Index(MakeTar(Layout()));
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ((*index)->name(), path_);
  EXPECT_EQ((*index)->compression(), Compression::kNone);
  EXPECT_EQ((*index)->FilePaths(),
            (std::vector<std::string>{"/blobs/sha256/aaaa", "/blobs/sha256/bbbb", "/index.json",
                                      "/oci-layout"}));
  EXPECT_EQ(Read(**index, "index.json"), "{}");
  EXPECT_EQ(Read(**index, "/index.json"), "{}");
  EXPECT_EQ(Read(**index, "./index.json"), "{}");
  EXPECT_EQ(Read(**index, "blobs//sha256/./bbbb"), "config");
  EXPECT_TRUE(Read(**index, "blobs/sha256/aaaa") == RandomBytes(70000, 1));
  EXPECT_TRUE((*index)->Contains("oci-layout"));
  EXPECT_FALSE((*index)->Contains("manifest.json"));
}

TEST_F(TarIndexTest, FollowsLinksInsideTheArchive) {
  auto index = Index(MakeTar(Layout()));
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  const TarIndex& ix = **index;
  EXPECT_TRUE(Read(ix, "abc/layer.tar") == RandomBytes(70000, 1));  // relative symlink
  EXPECT_EQ(Read(ix, "abs-link"), "config");                        // absolute symlink
  EXPECT_EQ(Read(ix, "chain"), "config");                           // link to a link
  EXPECT_EQ(Read(ix, "hard"), "config");                            // hardlink
  EXPECT_TRUE(Read(ix, "hard-to-link") == RandomBytes(70000, 1));   // hardlink to a symlink
  EXPECT_EQ(Read(ix, "dirlink/bbbb"), "config");  // a symlink in a parent directory
  EXPECT_TRUE(ix.Contains("chain"));
  EXPECT_TRUE(ix.Contains("dirlink/aaaa"));
}

TEST_F(TarIndexTest, MissingMembersAreNotFound) {
  auto index = Index(MakeTar(Layout()));
  ASSERT_TRUE(index.ok());
  for (const char* path : {"manifest.json", "dangling", "blobs/sha256/cccc", "dirlink/zzzz"}) {
    SCOPED_TRACE(path);
    auto m = (*index)->OpenMember(path);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code(), StatusCode::kNotFound) << m.error().ToString();
    EXPECT_NE(m.error().message().find(path_), std::string::npos) << m.error().ToString();
    EXPECT_FALSE((*index)->Contains(path));
  }
  // A directory is not a file.
  auto dir = (*index)->OpenMember("blobs/sha256");
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code(), StatusCode::kNotFound);
}

TEST_F(TarIndexTest, LinksNeverLeaveTheArchive) {
  // "outside" climbs above the root, which clamps it to /etc/passwd inside the archive.
  auto index = Index(MakeTar(Layout()));
  ASSERT_TRUE(index.ok());
  auto m = (*index)->OpenMember("outside");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), StatusCode::kNotFound);

  std::vector<TarSpec> with_target = Layout();
  with_target.push_back({"etc/passwd", "archive's own passwd"});
  auto index2 = Index(MakeTar(with_target));
  ASSERT_TRUE(index2.ok());
  EXPECT_EQ(Read(**index2, "outside"), "archive's own passwd");
  EXPECT_EQ(Read(**index2, "../../etc/passwd"), "archive's own passwd");
}

TEST_F(TarIndexTest, LinkLoopsFailInsteadOfHanging) {
  auto index = Index(MakeTar({
      {"loop1", "loop2", TarSpec::kSymlink},
      {"loop2", "loop1", TarSpec::kSymlink},
      {"self", "self", TarSpec::kSymlink},
      {"d1", "d2/x", TarSpec::kSymlink},
      {"d2", "d1", TarSpec::kSymlink},
      {"file", "ok"},
  }));
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  for (const char* path : {"loop1", "loop2", "self", "d1", "d2/x/y"}) {
    SCOPED_TRACE(path);
    auto m = (*index)->OpenMember(path);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code(), StatusCode::kCorruption) << m.error().ToString();
    EXPECT_FALSE((*index)->Contains(path));
  }
  EXPECT_EQ(Read(**index, "file"), "ok");
}

TEST_F(TarIndexTest, FortyHopsAreFine) {
  std::vector<TarSpec> specs = {{"target", "end"}};
  std::string prev = "target";
  for (int i = 0; i < 40; ++i) {
    std::string name = "l" + std::to_string(i);
    specs.push_back({name, prev, TarSpec::kSymlink});
    prev = name;
  }
  specs.push_back({"too-far", prev, TarSpec::kSymlink});
  auto index = Index(MakeTar(specs));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(Read(**index, "l39"), "end");
  auto m = (*index)->OpenMember("too-far");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code(), StatusCode::kCorruption);
}

TEST_F(TarIndexTest, LaterDuplicateWins) {
  auto index = Index(MakeTar({{"f", "old"}, {"f", "new"}}));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(Read(**index, "f"), "new");
  EXPECT_EQ((*index)->FilePaths().size(), 1u);
}

TEST_F(TarIndexTest, CompressedArchives) {
  std::string tar = MakeTar(Layout());
  for (auto [bytes, compression] :
       {std::pair{Gzip(tar), Compression::kGzip}, std::pair{Zstd(tar), Compression::kZstd}}) {
    auto index = Index(bytes);
    ASSERT_TRUE(index.ok()) << index.error().ToString();
    EXPECT_EQ((*index)->compression(), compression);
    EXPECT_EQ((*index)->name(), path_);
    EXPECT_TRUE(Read(**index, "abc/layer.tar") == RandomBytes(70000, 1));
    EXPECT_EQ((*index)->FilePaths().size(), 4u);
  }
}

TEST_F(TarIndexTest, CorruptCompressedArchives) {
  std::string gz = Gzip(MakeTar(Layout()));
  for (const std::string& bad : {gz.substr(0, gz.size() / 2), gz + "trailing"}) {
    auto index = Index(bad);
    ASSERT_FALSE(index.ok());
    EXPECT_EQ(index.error().code(), StatusCode::kCorruption) << index.error().ToString();
    EXPECT_NE(index.error().message().find(path_), std::string::npos) << index.error().ToString();
  }
}

TEST_F(TarIndexTest, InflatedSizeLimit) {
  TarIndexLimits limits;
  limits.max_inflated_bytes = 10000;
  auto index = Index(Gzip(MakeTar(Layout())), limits);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kResourceExhausted);
}

TEST_F(TarIndexTest, NotATarIsCorruption) {
  for (const std::string& bytes :
       {std::string(), std::string("hello"), std::string(100, '\0'), std::string(1024, '\0'),
        RandomBytes(4096, 2), std::string(2048, 'x'),
        std::string("{\"schemaVersion\": 2}") + std::string(1000, ' ')}) {
    SCOPED_TRACE(bytes.size());
    auto index = Index(bytes);
    ASSERT_FALSE(index.ok());
    EXPECT_EQ(index.error().code(), StatusCode::kCorruption) << index.error().ToString();
    EXPECT_NE(index.error().message().find(path_), std::string::npos) << index.error().ToString();
  }
}

TEST_F(TarIndexTest, MissingFileIsNotFound) {
  auto index = TarIndex::Open(dir_.path() + "/nope.tar", TarIndexLimits());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kNotFound);
}

TEST_F(TarIndexTest, BadChecksumIsCorruption) {
  std::string tar = MakeTar({{"first", "1"}, {"second", "2"}});
  for (size_t header : {size_t{0}, 2 * kBlock}) {
    SCOPED_TRACE(header);
    std::string bad = tar;
    bad[header + 1] ^= 0x20;
    auto index = Index(bad);
    ASSERT_FALSE(index.ok());
    EXPECT_EQ(index.error().code(), StatusCode::kCorruption) << index.error().ToString();
    EXPECT_NE(index.error().message().find("checksum"), std::string::npos);
  }
}

TEST_F(TarIndexTest, MemberRunningPastTheEndIsCorruption) {
  std::string tar = MakeTar({{"a", "1"}, {"big", RandomBytes(5000, 3)}});
  auto index = Index(tar.substr(0, 3 * kBlock + 1000));
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kCorruption) << index.error().ToString();
}

TEST_F(TarIndexTest, MissingEndBlocksAreFine) {
  std::string tar = MakeTar({{"a", "1"}, {"b", std::string(67, 'b')}});
  auto index = Index(tar.substr(0, 3 * kBlock + 67));
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ(Read(**index, "b"), std::string(67, 'b'));
}

TEST_F(TarIndexTest, MemberLimit) {
  std::vector<TarSpec> specs;
  for (int i = 0; i < 20; ++i) specs.push_back({"f" + std::to_string(i), "x"});
  TarIndexLimits limits;
  limits.max_members = 20;
  ASSERT_TRUE(Index(MakeTar(specs), limits).ok());
  limits.max_members = 19;
  auto index = Index(MakeTar(specs), limits);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kResourceExhausted);
}

TEST_F(TarIndexTest, PaxHeaderLimit) {
  std::string long_path(3000, 'p');
  TarIndexLimits limits;
  limits.max_pax_header_bytes = 100;
  auto index = Index(MakeTar({{long_path, "x"}}), limits);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), StatusCode::kResourceExhausted);
}

TEST_F(TarIndexTest, LongNamesInEveryFormat) {
  std::string dir;
  for (int i = 0; i < 12; ++i) dir += "directory-" + std::to_string(i) + "/";
  const std::string long_name = dir + "file-with-a-long-name.txt";  // > 100, in prefix+name
  const std::string very_long = std::string(200, 'v') + "/" + std::string(120, 'w');
  ASSERT_GT(long_name.size(), 100u);
  ASSERT_LT(long_name.size(), 250u);
  struct Format {
    int code;
    const char* name;
  };
  for (Format f :
       {Format{ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, "pax"}, Format{ARCHIVE_FORMAT_TAR_GNUTAR, "gnu"},
        Format{ARCHIVE_FORMAT_TAR_USTAR, "ustar"}}) {
    SCOPED_TRACE(f.name);
    std::vector<TarSpec> specs = {{long_name, "long"}, {"short", "s"}};
    if (f.code != ARCHIVE_FORMAT_TAR_USTAR) {  // ustar cannot hold these
      specs.push_back({very_long, "very long"});
      specs.push_back({"link", "/" + very_long, TarSpec::kSymlink});
    }
    auto index = Index(MakeTar(specs, f.code));
    ASSERT_TRUE(index.ok()) << index.error().ToString();
    EXPECT_EQ(Read(**index, long_name), "long");
    EXPECT_EQ(Read(**index, "short"), "s");
    if (f.code != ARCHIVE_FORMAT_TAR_USTAR) {
      EXPECT_EQ(Read(**index, very_long), "very long");
      EXPECT_EQ(Read(**index, "link"), "very long");
    }
  }
}

TEST_F(TarIndexTest, GnuHeaderTimesAreNotAPrefix) {
  // GNU headers keep atime/ctime where ustar has its name prefix.
  std::string tar = MakeTar({{"etc/os-release", "ID=x\n"}}, ARCHIVE_FORMAT_TAR_GNUTAR);
  ASSERT_EQ(std::memcmp(tar.data() + 257, "ustar  \0", 8), 0);
  std::memcpy(&tar[345], "14567123456", 11);  // atime
  std::memcpy(&tar[357], "14567123456", 11);  // ctime
  FixChecksum(&tar[0]);
  auto index = Index(tar);
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ((*index)->FilePaths(), std::vector<std::string>{"/etc/os-release"});
}

// A ustar header block, checksum included.
std::string Header(const std::string& name, char type, uint64_t size) {
  std::string h(kBlock, '\0');
  std::memcpy(&h[0], name.data(), std::min<size_t>(name.size(), 100));
  std::memcpy(&h[100], "0000644", 7);
  char num[13];
  std::snprintf(num, sizeof(num), "%011llo", static_cast<unsigned long long>(size));
  std::memcpy(&h[124], num, 11);
  std::memcpy(&h[136], "00000000000", 11);
  h[156] = type;
  std::memcpy(&h[257],
              "ustar\0"
              "00",
              8);
  FixChecksum(&h[0]);
  return h;
}

std::string Padded(const std::string& data) {
  return data + std::string((kBlock - data.size() % kBlock) % kBlock, '\0');
}

TEST_F(TarIndexTest, PaxSizeAppliesToTheMemberNotToTheNextExtendedHeader) {
  const std::string pax = "12 size=700\n";
  const std::string long_name = std::string(150, 'n') + "/file";
  const std::string data = RandomBytes(700, 9);
  std::string tar = Header("PaxHeaders/f", 'x', pax.size()) + Padded(pax) +
                    Header("././@LongLink", 'L', long_name.size() + 1) + Padded(long_name + '\0') +
                    Header("short-name", '0', 0) + Padded(data) + std::string(2 * kBlock, '\0');
  auto index = Index(tar);
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ((*index)->FilePaths(), std::vector<std::string>{"/" + long_name});
  EXPECT_TRUE(Read(**index, long_name) == data);
}

TEST_F(TarIndexTest, ConcurrentReads) {
  std::vector<TarSpec> specs;
  for (int i = 0; i < 8; ++i) specs.push_back({"m" + std::to_string(i), RandomBytes(50000, i)});
  auto index = Index(Gzip(MakeTar(specs)));
  ASSERT_TRUE(index.ok());
  const TarIndex& ix = **index;
  std::vector<int> ok(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        int m = (t + round) % 8;
        Result<std::string> r = ix.ReadMember("m" + std::to_string(m), kMax);
        if (r.ok() && *r == RandomBytes(50000, static_cast<uint32_t>(m))) ++ok[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(ok[t], 5) << "thread " << t;
}

TEST_F(TarIndexTest, ReadMemberLimit) {
  auto index = Index(MakeTar({{"big", std::string(100000, 'b')}}));
  ASSERT_TRUE(index.ok());
  auto r = (*index)->ReadMember("big", 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace bulkhead::archive
