#include "sources/text_value.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/decimal.h"
#include "core/temporal.h"

namespace sluice {
namespace {

TEST(ParseTextValue, Int64) {
  Column column(DataType{TypeId::kInt64});
  EXPECT_TRUE(ParseTextValue("1231231231231234123", column));
  EXPECT_TRUE(ParseTextValue("-9223372036854775808", column));
  EXPECT_TRUE(ParseTextValue("+5", column));
  EXPECT_FALSE(ParseTextValue("9223372036854775808", column));
  EXPECT_FALSE(ParseTextValue("abc", column));
  EXPECT_FALSE(ParseTextValue("1.5", column));
  EXPECT_FALSE(ParseTextValue("", column));
  EXPECT_FALSE(ParseTextValue("+-5", column));
  ASSERT_EQ(column.size(), 3u);
  EXPECT_EQ(column.int64_at(0), 1231231231231234123);
  EXPECT_EQ(column.int64_at(1), INT64_MIN);
  EXPECT_EQ(column.int64_at(2), 5);
}

TEST(ParseTextValue, Float64) {
  Column column(DataType{TypeId::kFloat64});
  for (const char* text : {"1.5", "-2e3", "NaN", "inf", "-Infinity", "+0.25", "7"}) {
    EXPECT_TRUE(ParseTextValue(text, column)) << text;
  }
  EXPECT_FALSE(ParseTextValue("1e999", column));
  EXPECT_FALSE(ParseTextValue("1.5x", column));
  ASSERT_EQ(column.size(), 7u);
  EXPECT_EQ(column.double_at(0), 1.5);
  EXPECT_EQ(column.double_at(1), -2000.0);
  EXPECT_TRUE(std::isnan(column.double_at(2)));
  EXPECT_EQ(column.double_at(3), INFINITY);
  EXPECT_EQ(column.double_at(4), -INFINITY);
  EXPECT_EQ(column.double_at(5), 0.25);
}

TEST(ParseTextValue, DecimalKeepsScaleAndNeverRounds) {
  Column column(DataType::Decimal(5, 2));
  EXPECT_TRUE(ParseTextValue("1.1", column));
  EXPECT_TRUE(ParseTextValue("-123.45", column));
  EXPECT_TRUE(ParseTextValue("7", column));
  EXPECT_FALSE(ParseTextValue("1.234", column));
  EXPECT_FALSE(ParseTextValue("1234.5", column));
  EXPECT_FALSE(ParseTextValue("1e2", column));
  ASSERT_EQ(column.size(), 3u);
  EXPECT_EQ(FormatDecimal(column.decimal_at(0), 2), "1.10");
  EXPECT_EQ(FormatDecimal(column.decimal_at(1), 2), "-123.45");
  EXPECT_EQ(FormatDecimal(column.decimal_at(2), 2), "7.00");
}

TEST(ParseTextValue, DecimalShortAndLongForms) {
  Column column(DataType::Decimal(38, 4));
  for (const char* text : {"1.", ".5", "+2.5", "-0.0001", "1.50000", "0000000000000000000012.5",
                           "1234567890123456789012345678901234.5678"}) {
    EXPECT_TRUE(ParseTextValue(text, column)) << text;
  }
  for (const char* text : {".", "-", "", "1.2.3", "1.00001", "12345678901234567890123456789012345"}) {
    EXPECT_FALSE(ParseTextValue(text, column)) << text;
  }
  ASSERT_EQ(column.size(), 7u);
  EXPECT_EQ(FormatDecimal(column.decimal_at(0), 4), "1.0000");
  EXPECT_EQ(FormatDecimal(column.decimal_at(1), 4), "0.5000");
  EXPECT_EQ(FormatDecimal(column.decimal_at(2), 4), "2.5000");
  EXPECT_EQ(FormatDecimal(column.decimal_at(3), 4), "-0.0001");
  EXPECT_EQ(FormatDecimal(column.decimal_at(4), 4), "1.5000");
  EXPECT_EQ(FormatDecimal(column.decimal_at(5), 4), "12.5000");
  EXPECT_EQ(FormatDecimal(column.decimal_at(6), 4), "1234567890123456789012345678901234.5678");

  Column narrow(DataType::Decimal(3, 1));
  EXPECT_TRUE(ParseTextValue("99.9", narrow));
  EXPECT_TRUE(ParseTextValue("-99.9", narrow));
  EXPECT_FALSE(ParseTextValue("100", narrow));
  EXPECT_FALSE(ParseTextValue("100.0", narrow));
}

TEST(ParseTextValue, Boolean) {
  Column column(DataType{TypeId::kBoolean});
  for (const char* text : {"true", "FALSE", "1", "0"}) EXPECT_TRUE(ParseTextValue(text, column));
  EXPECT_FALSE(ParseTextValue("yes", column));
  ASSERT_EQ(column.size(), 4u);
  EXPECT_TRUE(column.bool_at(0));
  EXPECT_FALSE(column.bool_at(1));
  EXPECT_TRUE(column.bool_at(2));
  EXPECT_FALSE(column.bool_at(3));
}

TEST(ParseTextValue, DateAndTimestamps) {
  Column dates(DataType{TypeId::kDate});
  EXPECT_TRUE(ParseTextValue("1970-01-02", dates));
  EXPECT_FALSE(ParseTextValue("1970-01-02T00:00:00", dates));
  EXPECT_EQ(dates.int64_at(0), 1);

  Column local(DataType{TypeId::kTimestamp});
  EXPECT_TRUE(ParseTextValue("1970-01-01T00:00:01.5", local));
  EXPECT_TRUE(ParseTextValue("1970-01-02", local));
  EXPECT_FALSE(ParseTextValue("1970-01-01T00:00:01Z", local));
  EXPECT_EQ(local.int64_at(0), 1500000);
  EXPECT_EQ(local.int64_at(1), kMicrosPerDay);

  Column instants(DataType{TypeId::kTimestampTz});
  EXPECT_TRUE(ParseTextValue("1970-01-01T02:00:00+02:00", instants));
  EXPECT_TRUE(ParseTextValue("1970-01-01T00:00:03Z", instants));
  EXPECT_TRUE(ParseTextValue("1970-01-01T00:00:04", instants));
  EXPECT_EQ(instants.int64_at(0), 0);
  EXPECT_EQ(instants.int64_at(1), 3 * kMicrosPerSecond);
  EXPECT_EQ(instants.int64_at(2), 4 * kMicrosPerSecond);
}

TEST(ParseTextValue, StringKeepsBytes) {
  Column column(DataType{TypeId::kString});
  EXPECT_TRUE(ParseTextValue("", column));
  EXPECT_TRUE(ParseTextValue("a,b\n\"c\"", column));
  EXPECT_EQ(column.bytes_at(0), "");
  EXPECT_EQ(column.bytes_at(1), "a,b\n\"c\"");
  EXPECT_FALSE(column.is_null(0));
}

}  // namespace
}  // namespace sluice
