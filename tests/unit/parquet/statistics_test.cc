#include "formats/parquet/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace sluice::parquet {
namespace {

double AsDouble(const std::string& bytes) {
  double value;
  std::memcpy(&value, bytes.data(), 8);
  return value;
}

TEST(Statistics, SignedIntegers) {
  StatisticsBuilder builder(PhysicalType::kInt32, 0, false);
  for (int64_t value : {5, -3, 100, 0}) builder.update_int(value);
  builder.add_nulls(2);
  Statistics stats = builder.finish();
  int32_t min, max;
  std::memcpy(&min, stats.min_value->data(), 4);
  std::memcpy(&max, stats.max_value->data(), 4);
  EXPECT_EQ(min, -3);
  EXPECT_EQ(max, 100);
  EXPECT_EQ(*stats.null_count, 2);
}

TEST(Statistics, DoublesIgnoreNanAndSignZero) {
  StatisticsBuilder builder(PhysicalType::kDouble, 0, false);
  builder.update_double(std::nan(""));
  builder.update_double(0.0);
  builder.update_double(-0.0);
  Statistics zeros = builder.finish();
  EXPECT_TRUE(std::signbit(AsDouble(*zeros.min_value)));
  EXPECT_FALSE(std::signbit(AsDouble(*zeros.max_value)));

  builder.reset();
  builder.update_double(std::nan(""));
  EXPECT_FALSE(builder.finish().min_value.has_value());
  builder.update_double(2.5);
  builder.update_double(-INFINITY);
  Statistics stats = builder.finish();
  EXPECT_EQ(AsDouble(*stats.min_value), -INFINITY);
  EXPECT_EQ(AsDouble(*stats.max_value), 2.5);
}

TEST(Statistics, DecimalBigEndianSigned) {
  StatisticsBuilder builder(PhysicalType::kFixedLenByteArray, 3, false);
  builder.update_decimal(-1);
  builder.update_decimal(256);
  builder.update_decimal(-300);
  Statistics stats = builder.finish();
  EXPECT_EQ(*stats.min_value, std::string("\xff\xfe\xd4", 3));  // -300
  EXPECT_EQ(*stats.max_value, std::string("\x00\x01\x00", 3));  // 256
}

TEST(Statistics, BytesCompareUnsigned) {
  StatisticsBuilder builder(PhysicalType::kByteArray, 0, false);
  builder.update_bytes("\x7f");
  builder.update_bytes("\x80");
  builder.update_bytes("");
  Statistics stats = builder.finish();
  EXPECT_EQ(*stats.min_value, "");
  EXPECT_EQ(*stats.max_value, "\x80");
}

TEST(Statistics, LongStringsTruncatedButBounding) {
  std::string low(100, 'a');
  std::string high = std::string(70, 'z') + "tail";
  StatisticsBuilder builder(PhysicalType::kByteArray, 0, true);
  builder.update_bytes(low);
  builder.update_bytes(high);
  Statistics stats = builder.finish();
  EXPECT_EQ(*stats.min_value, std::string(64, 'a'));
  EXPECT_FALSE(stats.min_exact);
  EXPECT_EQ(*stats.max_value, std::string(63, 'z') + "{");  // 'z' + 1
  EXPECT_FALSE(stats.max_exact);
  EXPECT_GE(*stats.max_value, high);
}

TEST(Statistics, TruncateMaxSkipsUnincrementableBytes) {
  bool exact = true;
  std::string binary = std::string(10, 'a') + std::string(60, '\xff');
  EXPECT_EQ(TruncateMax(binary, 64, false, exact), std::string(9, 'a') + "b");
  EXPECT_FALSE(exact);

  std::string all_ff(80, '\xff');
  EXPECT_EQ(TruncateMax(all_ff, 64, false, exact), all_ff);
  EXPECT_TRUE(exact);

  // UTF-8: "é" is two bytes; the cut drops it whole and increments the ASCII before it.
  std::string text = "ab" + std::string(40, 'x');
  for (int i = 0; i < 20; ++i) text += "\xc3\xa9";
  std::string max = TruncateMax(text, 64, true, exact);
  EXPECT_EQ(max, "ab" + std::string(39, 'x') + "y");
  EXPECT_GT(max, text);
  std::string min = TruncateMin(text, 63, true);
  EXPECT_EQ(min.size(), 62u);  // byte 63 is inside "é", so the cut moves back to its start
}

TEST(Statistics, DecimalToBigEndianWidths) {
  EXPECT_EQ(DecimalToBigEndian(1, 1), "\x01");
  EXPECT_EQ(DecimalToBigEndian(-2, 2), "\xff\xfe");
}

}  // namespace
}  // namespace sluice::parquet
