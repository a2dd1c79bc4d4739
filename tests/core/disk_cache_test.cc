#include "bulkhead/core/disk_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "tests/testing/test_util.h"

namespace bulkhead {
namespace {

TEST(DiskCache, StoresAndReadsBack) {
  testing::TempDir dir;
  DiskCache cache(dir.path() + "/c");
  EXPECT_FALSE(cache.Get("hs", "k1").has_value());
  cache.Put("hs", "k1", std::string("a\0b", 3));
  ASSERT_TRUE(cache.Get("hs", "k1").has_value());
  EXPECT_EQ(*cache.Get("hs", "k1"), std::string("a\0b", 3));
  EXPECT_FALSE(cache.Get("yara", "k1").has_value());  // kinds do not mix
  EXPECT_FALSE(cache.Get("hs", "k1", /*max_bytes=*/2).has_value());
  cache.Put("hs", "k1", "new");
  EXPECT_EQ(*cache.Get("hs", "k1"), "new");
  // No temporary files are left behind.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() + "/c")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(DiskCache, KeepsOnlyTheNewestEntries) {
  testing::TempDir dir;
  DiskCache cache(dir.path());
  for (size_t i = 0; i < DiskCache::kMaxEntries + 10; ++i) {
    cache.Put("hs", "k" + std::to_string(i), "x");
  }
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, DiskCache::kMaxEntries);
}

TEST(DiskCache, DisabledOrUnwritableIsOnlyAMiss) {
  DiskCache off("");
  off.Put("hs", "k", "x");
  EXPECT_FALSE(off.Get("hs", "k").has_value());
  DiskCache nowhere("/proc/self/no-such-dir");
  nowhere.Put("hs", "k", "x");  // must not throw or crash
  EXPECT_FALSE(nowhere.Get("hs", "k").has_value());
  ::setenv("BULKHEAD_NO_CACHE", "1", 1);
  EXPECT_FALSE(DiskCache::Default().enabled());
  ::setenv("BULKHEAD_NO_CACHE", "0", 1);
  EXPECT_TRUE(DiskCache::Default().enabled());
  ::unsetenv("BULKHEAD_NO_CACHE");
  {
    // No home at all: no cache, rather than one relative to the working directory.
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const std::string saved_xdg = xdg ? xdg : "", saved_home = home ? home : "";
    ::unsetenv("XDG_CACHE_HOME");
    ::unsetenv("HOME");
    EXPECT_FALSE(DiskCache::Default().enabled());
    if (xdg) ::setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
    if (home) ::setenv("HOME", saved_home.c_str(), 1);
  }
  const char* before = std::getenv("XDG_CACHE_HOME");
  const std::string saved = before ? before : "";
  ::setenv("XDG_CACHE_HOME", "/somewhere", 1);
  EXPECT_EQ(CacheHome(), "/somewhere/bulkhead");
  if (before) {
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("XDG_CACHE_HOME");
  }
}

}  // namespace
}  // namespace bulkhead
