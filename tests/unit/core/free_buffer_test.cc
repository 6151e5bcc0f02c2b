// FreeBuffer gives a string's heap block back, which assigning an empty
// string does not do in libstdc++.
#include "core/free_buffer.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(FreeBuffer, CapacityReturnsToShortString) {
  std::string buffer(1 << 20, 'x');
  FreeBuffer(buffer);
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.capacity(), std::string().capacity());
}

}  // namespace
}  // namespace sluice
