#include <gtest/gtest.h>
TEST(ConfigPlaceholder, Builds) { SUCCEED(); }
