#include <gtest/gtest.h>

namespace bulkhead::k8s {
int Placeholder();
TEST(K8sPlaceholder, Links) { EXPECT_EQ(Placeholder(), 0); }
}  // namespace bulkhead::k8s
