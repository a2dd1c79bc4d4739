#include "bulkhead/core/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/testing/test_util.h"

namespace bulkhead {
namespace {

TEST(ReadFileBounded, ReadsRegularFilesWithinTheBound) {
  testing::TempDir dir;
  const std::string path = dir.WriteFile("a.txt", std::string("x\0y", 3));
  Result<std::string> r = ReadFileBounded(path, 3);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(*r, std::string("x\0y", 3));
  Result<std::string> big = ReadFileBounded(path, 2);
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.error().IsResourceExhausted());
  EXPECT_NE(big.error().message().find("a.txt"), std::string_view::npos);
}

TEST(ReadFileBounded, RefusesWhatIsNotARegularFileWithoutBlocking) {
  testing::TempDir dir;
  const std::string fifo = dir.path() + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> r = ReadFileBounded(fifo, 1 << 20);  // would block without O_NONBLOCK
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ReadFileBounded(dir.path(), 1 << 20).ok());  // a directory
  Result<std::string> missing = ReadFileBounded(dir.path() + "/none", 1 << 20);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("none"), std::string_view::npos);
}

// Limits in messages are exact: a limit under 1 MiB printed "0 MiB" before.
TEST(LimitText, UsesTheLargestExactUnit) {
  EXPECT_EQ(LimitText(32 << 20), "32 MiB");
  EXPECT_EQ(LimitText(uint64_t{16} << 30), "16 GiB");
  EXPECT_EQ(LimitText(512 << 10), "512 KiB");
  EXPECT_EQ(LimitText(1000), "1000 bytes");
  EXPECT_EQ(LimitText((1 << 20) + 1), "1048577 bytes");
  EXPECT_EQ(LimitText(0), "0 bytes");
}

}  // namespace
}  // namespace bulkhead
