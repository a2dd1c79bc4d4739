#include <gtest/gtest.h>
TEST(VersionPlaceholder, Builds) { SUCCEED(); }
