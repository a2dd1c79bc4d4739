#include "bulkhead/archive/zip_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/testing/test_util.h"

namespace bulkhead::archive {
namespace {

using ::bulkhead::testing::CompressibleText;
using ::bulkhead::testing::Deflate;
using ::bulkhead::testing::RandomBytes;
using ::bulkhead::testing::ReadFileOrDie;
using ::bulkhead::testing::TempDir;

constexpr uint64_t kMax = uint64_t{1} << 30;

struct Entry {
  std::string name;  ///< A name ending in '/' is a directory.
  std::string data;
};

// A zip written by libarchive; `options` as for archive_write_set_options ("" for none).
void WriteZip(const std::string& path, const std::vector<Entry>& entries,
              const std::string& options = "") {
  ::archive* a = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(a), ARCHIVE_OK);
  if (!options.empty()) {
    ASSERT_EQ(archive_write_set_options(a, options.c_str()), ARCHIVE_OK) << archive_error_string(a);
  }
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const Entry& entry : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, entry.name.c_str());
    const bool dir = !entry.name.empty() && entry.name.back() == '/';
    archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, dir ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(entry.data.size()));
    ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK) << archive_error_string(a);
    if (!entry.data.empty()) {
      ASSERT_EQ(archive_write_data(a, entry.data.data(), entry.data.size()),
                static_cast<la_ssize_t>(entry.data.size()));
    }
    archive_entry_free(e);
  }
  ASSERT_EQ(archive_write_close(a), ARCHIVE_OK);
  archive_write_free(a);
}

// Every entry of the zip at `path` as libarchive's reader sees it, in its order.
std::vector<Entry> ReadWithLibarchive(const std::string& path) {
  std::vector<Entry> out;
  ::archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    ADD_FAILURE() << archive_error_string(a);
    archive_read_free(a);
    return out;
  }
  archive_entry* e;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Entry entry{archive_entry_pathname(e), ""};
    char buf[1 << 14];
    la_ssize_t n;
    while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
      entry.data.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(n, 0) << archive_error_string(a);
    out.push_back(std::move(entry));
  }
  archive_read_free(a);
  return out;
}

uint16_t Get16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) |
                               (static_cast<uint8_t>(b[at + 1]) << 8));
}
uint32_t Get32(const std::string& b, size_t at) {
  return Get16(b, at) | (static_cast<uint32_t>(Get16(b, at + 2)) << 16);
}
void Put16(std::string* b, size_t at, uint16_t v) {
  (*b)[at] = static_cast<char>(v & 0xff);
  (*b)[at + 1] = static_cast<char>(v >> 8);
}
void Put32(std::string* b, size_t at, uint32_t v) {
  Put16(b, at, static_cast<uint16_t>(v & 0xffff));
  Put16(b, at + 2, static_cast<uint16_t>(v >> 16));
}
void Put64(std::string* b, size_t at, uint64_t v) {
  Put32(b, at, static_cast<uint32_t>(v));
  Put32(b, at + 4, static_cast<uint32_t>(v >> 32));
}
void Append16(std::string* b, uint16_t v) {
  b->append(2, '\0');
  Put16(b, b->size() - 2, v);
}
void Append32(std::string* b, uint32_t v) {
  b->append(4, '\0');
  Put32(b, b->size() - 4, v);
}
void Append64(std::string* b, uint64_t v) {
  b->append(8, '\0');
  Put64(b, b->size() - 8, v);
}

// Offset of the end of central directory record (signature 0x06054b50, "PK\5\6").
size_t EndRecord(const std::string& zip) {
  const size_t at = zip.rfind(std::string("PK\x05\x06", 4));
  EXPECT_NE(at, std::string::npos);
  return at;
}

// Offsets of the central directory headers (0x02014b50, "PK\1\2"), in order, found by
// walking the directory from the end record.
std::vector<size_t> CentralHeaders(const std::string& zip) {
  const size_t end = EndRecord(zip);
  std::vector<size_t> out;
  size_t pos = Get32(zip, end + 16);
  size_t count = Get16(zip, end + 10);
  if (count == 0xffff || pos == 0xffffffff) {  // in the zip64 end record (small zips only)
    const size_t z64 = zip.rfind(std::string("PK\x06\x06", 4));
    count = Get32(zip, z64 + 32);
    pos = Get32(zip, z64 + 48);
  }
  for (size_t i = 0; i < count; ++i) {
    EXPECT_EQ(zip.compare(pos, 4, "PK\x01\x02", 4), 0) << "central header " << i;
    out.push_back(pos);
    pos += 46 + Get16(zip, pos + 28) + Get16(zip, pos + 30) + Get16(zip, pos + 32);
  }
  return out;
}

// Offset of the first data byte of the entry whose central header is at `central`.
size_t DataOffset(const std::string& zip, size_t central) {
  const size_t local = Get32(zip, central + 42);
  EXPECT_EQ(zip.compare(local, 4, "PK\x03\x04", 4), 0);
  return local + 30 + Get16(zip, local + 26) + Get16(zip, local + 28);
}

struct RawEntry {
  std::string name;
  std::string data;
  uint16_t method = 8;
};

// A zip built by hand, independent of libarchive: no data descriptors, optionally a
// comment, and with `zip64` every size and offset in zip64 extra fields and the counts
// in a zip64 end record (as a writer must do past 4 GiB or 65,535 entries).
std::string BuildZip(const std::vector<RawEntry>& entries, bool zip64,
                     const std::string& comment = "") {
  std::string out, dir;
  for (const RawEntry& e : entries) {
    const std::string body = e.method == 8 ? Deflate(e.data, -MAX_WBITS) : e.data;
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    const uint64_t offset = out.size();
    for (bool central : {false, true}) {
      std::string* b = central ? &dir : &out;
      Append32(b, central ? 0x02014b50 : 0x04034b50);
      if (central) Append16(b, 45);  // version made by
      Append16(b, zip64 ? 45 : 20);  // version needed
      Append16(b, 0);                // flags
      Append16(b, e.method);
      Append32(b, 0);  // time, date
      Append32(b, crc);
      Append32(b, zip64 ? 0xffffffff : static_cast<uint32_t>(body.size()));
      Append32(b, zip64 ? 0xffffffff : static_cast<uint32_t>(e.data.size()));
      Append16(b, static_cast<uint16_t>(e.name.size()));
      Append16(b, zip64 ? (central ? 28 : 20) : 0);  // extra length
      if (central) {
        Append16(b, 0);  // comment length
        Append16(b, 0);  // disk
        Append16(b, 0);  // internal attributes
        Append32(b, 0);  // external attributes
        Append32(b, zip64 ? 0xffffffff : static_cast<uint32_t>(offset));
      }
      b->append(e.name);
      if (zip64) {
        Append16(b, 1);
        Append16(b, central ? 24 : 16);
        Append64(b, e.data.size());
        Append64(b, body.size());
        if (central) Append64(b, offset);
      }
    }
    out += body;
  }
  const uint64_t dir_offset = out.size();
  out += dir;
  if (zip64) {
    const uint64_t z64 = out.size();
    Append32(&out, 0x06064b50);
    Append64(&out, 44);
    Append16(&out, 45);
    Append16(&out, 45);
    Append32(&out, 0);
    Append32(&out, 0);
    Append64(&out, entries.size());
    Append64(&out, entries.size());
    Append64(&out, dir.size());
    Append64(&out, dir_offset);
    Append32(&out, 0x07064b50);
    Append32(&out, 0);
    Append64(&out, z64);
    Append32(&out, 1);
  }
  Append32(&out, 0x06054b50);
  Append16(&out, 0);
  Append16(&out, 0);
  Append16(&out, zip64 ? 0xffff : static_cast<uint16_t>(entries.size()));
  Append16(&out, zip64 ? 0xffff : static_cast<uint16_t>(entries.size()));
  Append32(&out, zip64 ? 0xffffffff : static_cast<uint32_t>(dir.size()));
  Append32(&out, zip64 ? 0xffffffff : static_cast<uint32_t>(dir_offset));
  Append16(&out, static_cast<uint16_t>(comment.size()));
  out += comment;
  return out;
}

std::vector<Entry> Sample() {
  return {{"a.txt", "hello, zip"},
          {"dir/", ""},
          {"dir/random.bin", RandomBytes(70000, 7)},
          {"dir/sub/", ""},
          {"dir/sub/repeated.txt", CompressibleText(50000)},
          {"empty", ""},
          {"one", "x"}};
}

bool Contains(const Status& s, const std::string& what) {
  return s.message().find(what) != std::string::npos;
}

class ZipReaderTest : public ::testing::Test {
 protected:
  // Writes `bytes` as a fresh zip file and returns its path.
  std::string Write(const std::string& bytes) {
    return dir_.WriteFile("zip-" + std::to_string(++n_) + ".zip", bytes);
  }
  std::string Path(const std::string& name = "") {
    return dir_.path() + "/" + (name.empty() ? "zip-" + std::to_string(++n_) + ".zip" : name);
  }

  // Expects `zip` to have exactly `expected`, in order, with each entry's bytes.
  static void ExpectEntries(const ZipReader& zip, const std::vector<Entry>& expected) {
    ASSERT_EQ(zip.entries().size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      const ZipEntry& e = zip.entries()[i];
      SCOPED_TRACE(e.name);
      EXPECT_EQ(e.name, expected[i].name);
      EXPECT_EQ(e.size, expected[i].data.size());
      EXPECT_EQ(e.is_directory(), expected[i].name.back() == '/');
      Result<std::string> data = zip.Read(i, kMax);
      ASSERT_TRUE(data.ok()) << data.error().ToString();
      EXPECT_TRUE(*data == expected[i].data);
    }
  }

  // The Open error for `bytes`, checked to name the zip.
  Status OpenError(const std::string& bytes, const ZipLimits& limits = {}) {
    const std::string path = Write(bytes);
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path, limits);
    if (zip.ok()) {
      ADD_FAILURE() << "opened";
      return Status::OK();
    }
    EXPECT_NE(zip.error().message().find(path), std::string::npos) << zip.error().ToString();
    return zip.error();
  }

  // The Read error for entry `name` of `bytes` (which must open), checked to name
  // "path:name".
  Status ReadError(const std::string& bytes, const std::string& name, uint64_t max = kMax) {
    const std::string path = Write(bytes);
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
    if (!zip.ok()) {
      ADD_FAILURE() << zip.error().ToString();
      return Status::OK();
    }
    for (size_t i = 0; i < (*zip)->entries().size(); ++i) {
      if ((*zip)->entries()[i].name != name) continue;
      Result<std::string> data = (*zip)->Read(i, max);
      if (data.ok()) {
        ADD_FAILURE() << "read " << name;
        return Status::OK();
      }
      EXPECT_NE(data.error().message().find(path + ":" + name), std::string::npos)
          << data.error().ToString();
      return data.error();
    }
    ADD_FAILURE() << "no entry " << name;
    return Status::OK();
  }

  TempDir dir_;
  int n_ = 0;
};

TEST_F(ZipReaderTest, ReadsStoredAndDeflatedEntries) {
  for (const std::string options : {"zip:compression=store", "zip:compression=deflate"}) {
    SCOPED_TRACE(options);
    const std::string path = Path();
    WriteZip(path, Sample(), options);
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
    ASSERT_TRUE(zip.ok()) << zip.error().ToString();
    EXPECT_EQ((*zip)->path(), path);
    ExpectEntries(**zip, Sample());
    const ZipEntry& random = (*zip)->entries()[2];
    const bool store = options == "zip:compression=store";
    EXPECT_EQ(random.method, store ? 0 : 8);
    EXPECT_EQ(random.compressed_size == random.size, store);
    EXPECT_EQ((*zip)->entries()[4].method, store ? 0 : 8);
    EXPECT_LT((*zip)->entries()[4].compressed_size, store ? 50001u : 5000u);
  }
}

TEST_F(ZipReaderTest, ReadsHandBuiltZipWithComment) {
  const std::string repeated = CompressibleText(300000);
  const std::string zip_bytes = BuildZip({{"stored", "plain bytes", 0},
                                          {"deflated", repeated, 8},
                                          {"empty-deflated", "", 8},
                                          {"d/", "", 0}},
                                         /*zip64=*/false, "a comment with PK\x05\x06 inside");
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(Write(zip_bytes));
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  ExpectEntries(
      **zip,
      {{"stored", "plain bytes"}, {"deflated", repeated}, {"empty-deflated", ""}, {"d/", ""}});
}

TEST_F(ZipReaderTest, EmptyZip) {
  const std::string path = Path();
  WriteZip(path, {});
  EXPECT_EQ(ReadFileOrDie(path).size(), 22u);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  EXPECT_TRUE((*zip)->entries().empty());
}

TEST_F(ZipReaderTest, AgreesWithLibarchive) {
  std::vector<Entry> entries;
  const std::string random = RandomBytes(100 * 1024, 42), repeated = CompressibleText(100 * 1024);
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) {
    std::string name = "d" + std::to_string(i % 7) + "/entry-" + std::to_string(i);
    switch (i % 6) {
      case 0:
        entries.push_back({name, ""});
        break;
      case 1:
        entries.push_back({name, std::string(1, static_cast<char>(i))});
        break;
      case 2:
        entries.push_back({name, random.substr(0, 100 * 1024 - i)});
        break;
      case 3:
        entries.push_back({name, repeated.substr(i % 50)});
        break;
      case 4:
        entries.push_back({name, RandomBytes(rng() % 5000, static_cast<uint32_t>(i))});
        break;
      default:
        entries.push_back({name + "/", ""});
    }
  }
  const std::string path = Path();
  WriteZip(path, entries);
  const std::vector<Entry> reference = ReadWithLibarchive(path);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  ASSERT_EQ(reference.size(), entries.size());
  ASSERT_EQ((*zip)->entries().size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    SCOPED_TRACE(entries[i].name);
    EXPECT_EQ((*zip)->entries()[i].name, reference[i].name);
    Result<std::string> data = (*zip)->Read(i, kMax);
    ASSERT_TRUE(data.ok()) << data.error().ToString();
    EXPECT_TRUE(*data == reference[i].data);
    EXPECT_TRUE(*data == entries[i].data);
  }
}

TEST_F(ZipReaderTest, Zip64FromLibarchive) {
  const std::string path = Path();
  WriteZip(path, Sample(), "zip:zip64");
  std::string bytes = ReadFileOrDie(path);
  const size_t z64 = bytes.find(std::string("PK\x06\x06", 4));
  ASSERT_NE(z64, std::string::npos) << "no zip64 end record";
  ASSERT_NE(bytes.find(std::string("PK\x06\x07", 4)), std::string::npos) << "no zip64 locator";
  {
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
    ASSERT_TRUE(zip.ok()) << zip.error().ToString();
    ExpectEntries(**zip, Sample());
  }
  // libarchive 3.6 still fills the 16- and 32-bit fields of the end record when they
  // fit, so the reader has not needed the zip64 record; mark them "see zip64" as a
  // writer past the limits would, and the counts must come from the zip64 record.
  const size_t end = EndRecord(bytes);
  ASSERT_EQ(Get32(bytes, z64 + 32), Get16(bytes, end + 10));
  Put16(&bytes, end + 8, 0xffff);
  Put16(&bytes, end + 10, 0xffff);
  Put32(&bytes, end + 12, 0xffffffff);
  Put32(&bytes, end + 16, 0xffffffff);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(Write(bytes));
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  ExpectEntries(**zip, Sample());
  // A locator pointing where no zip64 end record fits, a zip64 end record that is not
  // one, and one whose counts disagree with the directory.
  const size_t locator = bytes.find(std::string("PK\x06\x07", 4));
  std::string bad = bytes;
  Put64(&bad, locator + 8, locator - 10);
  EXPECT_TRUE(Contains(OpenError(bad), "zip64 end record out of place"));
  bad = bytes;
  bad[z64 + 2] = 'X';
  EXPECT_TRUE(Contains(OpenError(bad), "bad zip64 end record"));
  bad = bytes;
  Put64(&bad, z64 + 24, 100);
  Put64(&bad, z64 + 32, 100);
  EXPECT_TRUE(Contains(OpenError(bad), "too small"));
  bad = bytes;
  Put64(&bad, z64 + 48, bytes.size());
  EXPECT_TRUE(Contains(OpenError(bad), "out of place"));
}

TEST_F(ZipReaderTest, Zip64ExtraFields) {
  const std::string repeated = CompressibleText(200000), random = RandomBytes(3000, 5);
  const std::vector<Entry> expected = {
      {"first", random}, {"second", repeated}, {"dir/", ""}, {"last", "z"}};
  const std::string bytes =
      BuildZip({{"first", random, 0}, {"second", repeated, 8}, {"dir/", "", 0}, {"last", "z", 8}},
               /*zip64=*/true);
  ASSERT_NE(bytes.find(std::string("PK\x06\x06", 4)), std::string::npos);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(Write(bytes));
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  ExpectEntries(**zip, expected);
  EXPECT_EQ((*zip)->entries()[1].size, repeated.size());
  EXPECT_GT((*zip)->entries()[3].local_header_offset, 0u);

  // A central header that says "see zip64" without the zip64 field (its id changed),
  // and one whose zip64 field is too short for the values it must hold.
  const size_t second = CentralHeaders(bytes)[1];
  std::string no_field = bytes;
  Put16(&no_field, second + 46 + 6, 0x9999);
  Status s = OpenError(no_field);
  EXPECT_TRUE(Contains(s, "no zip64 field for second")) << s.ToString();
  std::string short_field = bytes;
  Put16(&short_field, second + 46 + 6 + 2, 16);
  s = OpenError(short_field);
  EXPECT_TRUE(Contains(s, "short zip64 field for second")) << s.ToString();
}

TEST_F(ZipReaderTest, SixtyFiveThousandEntries) {
  // Past 65,535 entries the end record's count is 0xffff and the real one is in the
  // zip64 end record. At exactly 65,535, libarchive (like Python's zipfile) writes
  // 0xffff as the real count, with no zip64 records.
  for (int count : {65535, 65600}) {
    SCOPED_TRACE(count);
    std::vector<Entry> entries;
    for (int i = 0; i < count; ++i) entries.push_back({std::to_string(i), i % 1000 ? "" : "k"});
    const std::string path = Path();
    WriteZip(path, entries, "zip:compression=store");
    const std::string bytes = ReadFileOrDie(path);
    EXPECT_EQ(Get16(bytes, EndRecord(bytes) + 10), 0xffff);
    EXPECT_EQ(bytes.find(std::string("PK\x06\x06", 4)) != std::string::npos, count > 65535);
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
    ASSERT_TRUE(zip.ok()) << zip.error().ToString();
    ASSERT_EQ((*zip)->entries().size(), entries.size());
    EXPECT_EQ((*zip)->entries().back().name, std::to_string(count - 1));
    Result<std::string> data = (*zip)->Read(65000, kMax);
    ASSERT_TRUE(data.ok()) << data.error().ToString();
    EXPECT_EQ(*data, "k");
  }
}

TEST_F(ZipReaderTest, ConcurrentReads) {
  std::vector<Entry> entries;
  for (int i = 0; i < 64; ++i) {
    entries.push_back({"f" + std::to_string(i),
                       i % 2 ? RandomBytes(20000 + i, i) : CompressibleText(30000 + 100 * i)});
  }
  const std::string path = Path();
  WriteZip(path, entries);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok()) << zip.error().ToString();
  const std::shared_ptr<const ZipReader> reader = *zip;
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 5; ++round) {
        for (size_t k = 0; k < entries.size(); ++k) {
          const size_t i = (k * (t + 1) + round) % entries.size();  // a different order each
          Result<std::string> data = reader->Read(i, kMax);
          if (!data.ok() || *data != entries[i].data) ++wrong[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

// Hostile and damaged zips: each one an error naming the zip, never a crash.

class ZipReaderHostileTest : public ZipReaderTest {
 protected:
  std::string Good(const std::string& options = "") {
    const std::string path = Path();
    WriteZip(path, Sample(), options);
    return ReadFileOrDie(path);
  }
};

TEST_F(ZipReaderHostileTest, NotAZip) {
  EXPECT_EQ(OpenError("").code(), StatusCode::kCorruption);
  EXPECT_EQ(OpenError(RandomBytes(10, 1)).code(), StatusCode::kCorruption);
  EXPECT_EQ(OpenError(RandomBytes(100000, 2)).code(), StatusCode::kCorruption);
  EXPECT_FALSE(ZipReader::Open(Path("missing.zip")).ok());
}

TEST_F(ZipReaderHostileTest, Truncated) {
  const std::string good = Good();
  const std::vector<size_t> central = CentralHeaders(good);
  // Cut in the middle of the central directory, and in the middle of entry data.
  EXPECT_EQ(OpenError(good.substr(0, central[3] + 20)).code(), StatusCode::kCorruption);
  EXPECT_EQ(OpenError(good.substr(0, DataOffset(good, central[2]) + 1000)).code(),
            StatusCode::kCorruption);
  for (size_t cut = 1; cut < 22; ++cut) {
    EXPECT_EQ(OpenError(good.substr(0, good.size() - cut)).code(), StatusCode::kCorruption);
  }
}

TEST_F(ZipReaderHostileTest, EntryDataCutOutOfTheMiddle) {
  // 5000 bytes go from inside dir/random.bin, and the end record is moved to match:
  // the directory is intact but the offsets after the cut are wrong.
  for (const std::string options : {"zip:compression=store", "zip:compression=deflate"}) {
    SCOPED_TRACE(options);
    const std::string good = Good(options);
    const size_t cut_at = DataOffset(good, CentralHeaders(good)[2]) + 100, cut = 5000;
    std::string bad = good.substr(0, cut_at) + good.substr(cut_at + cut);
    const size_t end = EndRecord(bad);
    Put32(&bad, end + 16, Get32(bad, end + 16) - cut);
    const std::string path = Write(bad);
    Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
    if (!zip.ok()) {
      EXPECT_NE(zip.error().message().find(path), std::string::npos) << zip.error().ToString();
      continue;
    }
    int errors = 0;
    for (size_t i = 0; i < (*zip)->entries().size(); ++i) {
      Result<std::string> data = (*zip)->Read(i, kMax);
      if (data.ok()) continue;
      ++errors;
      EXPECT_NE(data.error().message().find(path + ":" + (*zip)->entries()[i].name),
                std::string::npos)
          << data.error().ToString();
    }
    EXPECT_GT(errors, 0);
  }
}

TEST_F(ZipReaderHostileTest, DirectoryOutsideTheFile) {
  std::string bad = Good();
  const size_t end = EndRecord(bad);
  Put32(&bad, end + 16, static_cast<uint32_t>(bad.size() + 100));
  EXPECT_TRUE(Contains(OpenError(bad), "out of place"));
  bad = Good();
  Put32(&bad, end + 12, Get32(bad, end + 12) + 50);  // runs into the end record
  EXPECT_EQ(OpenError(bad).code(), StatusCode::kCorruption);
}

TEST_F(ZipReaderHostileTest, CountLargerThanTheDirectory) {
  std::string bad = Good();
  const size_t end = EndRecord(bad);
  const uint16_t count = Get16(bad, end + 10);
  Put16(&bad, end + 8, count + 1);
  Put16(&bad, end + 10, count + 1);
  EXPECT_EQ(OpenError(bad).code(), StatusCode::kCorruption);
  Put16(&bad, end + 8, 60000);
  Put16(&bad, end + 10, 60000);
  EXPECT_TRUE(Contains(OpenError(bad), "too small"));
}

TEST_F(ZipReaderHostileTest, OverlappingEntries) {
  std::string bad = Good();
  const std::vector<size_t> central = CentralHeaders(bad);
  Put32(&bad, central[4] + 42, Get32(bad, central[0] + 42));  // two names, one body
  Status s = OpenError(bad);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_TRUE(Contains(s, "overlaps")) << s.ToString();

  // A compressed size reaching into the next entry.
  bad = Good();
  Put32(&bad, central[0] + 20, Get32(bad, central[0] + 20) + 200);
  s = OpenError(bad);
  EXPECT_TRUE(Contains(s, "'a.txt' overlaps")) << s.ToString();

  // A local header with a long extra field, pushing its data into the next entry: only
  // Read can see it.
  bad = Good();
  Put16(&bad, Get32(bad, central[0] + 42) + 28, 1000);
  s = ReadError(bad, "a.txt");
  EXPECT_TRUE(Contains(s, "overlaps")) << s.ToString();
}

TEST_F(ZipReaderHostileTest, CrcMismatch) {
  std::string bad = Good("zip:compression=store");
  const size_t data = DataOffset(bad, CentralHeaders(bad)[0]);
  ASSERT_EQ(bad.substr(data, 10), "hello, zip");
  bad[data + 3] ^= 0x20;
  Status s = ReadError(bad, "a.txt");
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_TRUE(Contains(s, "CRC")) << s.ToString();

  bad = Good();
  Put32(&bad, CentralHeaders(bad)[4] + 16, 12345);
  s = ReadError(bad, "dir/sub/repeated.txt");
  EXPECT_TRUE(Contains(s, "CRC")) << s.ToString();
}

TEST_F(ZipReaderHostileTest, InflatesToOtherThanDeclared) {
  for (const char* name : {"dir/random.bin", "dir/sub/repeated.txt", "one"}) {
    SCOPED_TRACE(name);
    const std::string good = Good();
    const std::vector<size_t> central = CentralHeaders(good);
    size_t h = 0;
    for (size_t c : central) {
      if (good.compare(c + 46, Get16(good, c + 28), name) == 0) h = c;
    }
    ASSERT_NE(h, 0u);
    ASSERT_EQ(Get16(good, h + 10), 8);
    const uint32_t size = Get32(good, h + 24);
    for (uint32_t declared : {size - 1, size / 2, 0u}) {
      std::string bad = good;
      Put32(&bad, h + 24, declared);
      Status s = ReadError(bad, name);
      EXPECT_EQ(s.code(), StatusCode::kCorruption);
      EXPECT_TRUE(Contains(s, "past its size") || Contains(s, "declared size")) << s.ToString();
    }
    for (uint32_t declared : {size + 1, size * 2}) {
      std::string bad = good;
      Put32(&bad, h + 24, declared);
      Status s = ReadError(bad, name);
      EXPECT_TRUE(Contains(s, "declared size")) << s.ToString();
    }
  }
  // Stored entries must have equal sizes.
  std::string bad = Good("zip:compression=store");
  Put32(&bad, CentralHeaders(bad)[0] + 24, 9);
  EXPECT_TRUE(Contains(ReadError(bad, "a.txt"), "sizes differ"));
}

TEST_F(ZipReaderHostileTest, CorruptDeflateData) {
  std::string bad = Good();
  const size_t h = CentralHeaders(bad)[4];
  const size_t data = DataOffset(bad, h);
  for (size_t i = 0; i < Get32(bad, h + 20); ++i) bad[data + i] = static_cast<char>(0xff);
  EXPECT_EQ(ReadError(bad, "dir/sub/repeated.txt").code(), StatusCode::kCorruption);
}

TEST_F(ZipReaderHostileTest, EncryptedAndUnknownMethods) {
  std::string bad = Good();
  const std::vector<size_t> central = CentralHeaders(bad);
  Put16(&bad, central[0] + 8, Get16(bad, central[0] + 8) | 1);
  Put16(&bad, central[2] + 10, 12);  // bzip2
  Put16(&bad, central[4] + 10, 99);  // AES
  Status s = ReadError(bad, "a.txt");
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_TRUE(Contains(s, "encrypted")) << s.ToString();
  s = ReadError(bad, "dir/random.bin");
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_TRUE(Contains(s, "method 12")) << s.ToString();
  EXPECT_EQ(ReadError(bad, "dir/sub/repeated.txt").code(), StatusCode::kUnsupported);
  // The other entries still read.
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(Write(bad));
  ASSERT_TRUE(zip.ok());
  Result<std::string> one = (*zip)->Read(6, kMax);
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  EXPECT_EQ(*one, "x");
}

TEST_F(ZipReaderHostileTest, MultiDisk) {
  std::string bad = Good();
  Put16(&bad, EndRecord(bad) + 4, 1);
  EXPECT_EQ(OpenError(bad).code(), StatusCode::kUnsupported);
}

TEST_F(ZipReaderHostileTest, Limits) {
  const std::string good = Good();
  const std::string path = Write(good);
  Result<std::shared_ptr<const ZipReader>> zip = ZipReader::Open(path);
  ASSERT_TRUE(zip.ok());
  Result<std::string> big = (*zip)->Read(2, 69999);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), StatusCode::kResourceExhausted) << big.error().ToString();
  EXPECT_TRUE(Contains(big.error(), path + ":dir/random.bin")) << big.error().ToString();
  EXPECT_TRUE((*zip)->Read(2, 70000).ok());

  ZipLimits limits;
  limits.max_entries = 6;
  EXPECT_EQ(OpenError(good, limits).code(), StatusCode::kResourceExhausted);
  limits.max_entries = 7;
  EXPECT_TRUE(ZipReader::Open(path, limits).ok());
  limits.max_directory_bytes = 100;
  EXPECT_EQ(OpenError(good, limits).code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace bulkhead::archive
