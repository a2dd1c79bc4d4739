#include <gtest/gtest.h>

namespace bulkhead::vuln {
int MatcherPlaceholder();
TEST(MatcherPlaceholder, Links) { EXPECT_EQ(MatcherPlaceholder(), 0); }
}  // namespace bulkhead::vuln
