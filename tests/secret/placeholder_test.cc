#include <gtest/gtest.h>
TEST(SecretPlaceholder, Builds) { SUCCEED(); }
