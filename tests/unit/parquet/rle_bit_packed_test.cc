#include "formats/parquet/rle_bit_packed.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/error.h"

namespace sluice::parquet {
namespace {

std::vector<uint32_t> Decode(const std::string& bytes, int width, size_t count) {
  std::vector<uint32_t> values(count);
  RleBitPackedDecoder(bytes, width).decode(values.data(), count);
  return values;
}

TEST(RleBitPacked, RunThenPackedGroupBytes) {
  std::vector<uint32_t> values(10, 1);
  values.insert(values.end(), {0, 1, 0});
  std::string out;
  EncodeRleBitPacked(values.data(), values.size(), 1, out);
  // RLE run of 10 ones (header 10 << 1 = 0x14, value 0x01), then one packed
  // group (header 1 << 1 | 1 = 0x03) holding 0,1,0 and five zero pads: 0x02.
  EXPECT_EQ(out, std::string("\x14\x01\x03\x02", 4));
  EXPECT_EQ(Decode(out, 1, values.size()), values);
}

TEST(RleBitPacked, PackedRunBorrowsFromRepeat) {
  // Three literals then 20 sevens: the packed group takes 5 sevens to reach
  // 8 values, and the RLE run contains the other 15.
  std::vector<uint32_t> values = {1, 2, 3};
  values.insert(values.end(), 20, 7);
  std::string out;
  EncodeRleBitPacked(values.data(), values.size(), 3, out);
  EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x03);           // one packed group
  EXPECT_EQ(static_cast<uint8_t>(out[4]), 15 << 1);         // after 3 bytes of 8 x 3 bits
  EXPECT_EQ(static_cast<uint8_t>(out[5]), 7);
  EXPECT_EQ(out.size(), 6u);
  EXPECT_EQ(Decode(out, 3, values.size()), values);
}

TEST(RleBitPacked, RandomRoundTripEveryWidth) {
  std::mt19937_64 random(42);
  for (int width = 1; width <= 32; ++width) {
    std::vector<uint32_t> values;
    uint64_t max = width == 32 ? 0xFFFFFFFFu : (1u << width) - 1;
    for (int i = 0; i < 5000; ++i) {
      uint32_t value = static_cast<uint32_t>(random() & max);
      size_t repeat = random() % 4 == 0 ? random() % 40 : 1;
      values.insert(values.end(), repeat, value);
    }
    std::string out;
    EncodeRleBitPacked(values.data(), values.size(), width, out);
    EXPECT_EQ(Decode(out, width, values.size()), values) << "width " << width;
  }
}

TEST(RleBitPacked, ByteLevelsAndBitWidth) {
  std::vector<uint8_t> levels = {1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::string out;
  EncodeRleBitPacked(levels.data(), levels.size(), 1, out);
  std::vector<uint8_t> decoded(levels.size());
  RleBitPackedDecoder(out, 1).decode(decoded.data(), decoded.size());
  EXPECT_EQ(decoded, levels);
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
}

TEST(RleBitPacked, ShortDataThrows) {
  std::vector<uint32_t> values(100, 5);
  std::string out;
  EncodeRleBitPacked(values.data(), values.size(), 4, out);
  std::vector<uint32_t> decoded(101);
  EXPECT_THROW(RleBitPackedDecoder(out, 4).decode(decoded.data(), decoded.size()), Error);
  EXPECT_THROW(RleBitPackedDecoder(out, 33), Error);
}

}  // namespace
}  // namespace sluice::parquet
