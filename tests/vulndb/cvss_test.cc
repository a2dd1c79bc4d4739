#include <gtest/gtest.h>

namespace bulkhead::vulndb {
int CvssPlaceholder();
TEST(CvssPlaceholder, Links) { EXPECT_EQ(CvssPlaceholder(), 0); }
}  // namespace bulkhead::vulndb
