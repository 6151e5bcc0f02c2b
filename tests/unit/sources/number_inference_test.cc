#include "sources/number_inference.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

DecimalSampleStats Stats(int integer_digits, int scale, int significant) {
  DecimalSampleStats stats;
  stats.max_integer_digits = integer_digits;
  stats.max_scale = scale;
  stats.max_significant_digits = significant;
  return stats;
}

TEST(InferDecimalType, FixedPointKeepsScale) {
  EXPECT_EQ(InferDecimalType(Stats(1, 2, 3), true), DataType::Decimal(18, 2));
  EXPECT_EQ(InferDecimalType(Stats(12, 6, 18), true), DataType::Decimal(38, 6));
}

TEST(InferDecimalType, PrintedDoublesBecomeFloat) {
  EXPECT_EQ(InferDecimalType(Stats(1, 17, 17), true).id, TypeId::kFloat64);
  EXPECT_EQ(InferDecimalType(Stats(2, 15, 17), true).id, TypeId::kFloat64);
}

TEST(InferDecimalType, LongExactValuesStayDecimal) {
  EXPECT_EQ(InferDecimalType(Stats(20, 18, 38), true), DataType::Decimal(38, 18));
}

TEST(InferDecimalType, TooWideBecomesFloat) {
  EXPECT_EQ(InferDecimalType(Stats(30, 6, 36), true), DataType::Decimal(38, 6));
  EXPECT_EQ(InferDecimalType(Stats(33, 6, 39), true).id, TypeId::kFloat64);
}

TEST(InferDecimalType, DisabledGivesFloat) {
  EXPECT_EQ(InferDecimalType(Stats(1, 2, 3), false).id, TypeId::kFloat64);
}

}  // namespace
}  // namespace sluice
