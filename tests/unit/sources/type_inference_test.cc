#include "sources/type_inference.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice {
namespace {

std::string Infer(const std::vector<std::string>& values, bool infer_decimals = true) {
  TextTypeInference inference(infer_decimals);
  for (const std::string& value : values) inference.add(value);
  return TypeName(inference.type());
}

TEST(TextTypeInference, Booleans) {
  EXPECT_EQ(Infer({"true", "FALSE", "True"}), "boolean");
  EXPECT_EQ(Infer({"1", "0"}), "int64");
  EXPECT_EQ(Infer({"true", "yes"}), "string");
}

TEST(TextTypeInference, Integers) {
  EXPECT_EQ(Infer({"1", "-20", "0", "-0"}), "int64");
  EXPECT_EQ(Infer({"1231231231231234123"}), "int64");
  EXPECT_EQ(Infer({"9223372036854775807", "-9223372036854775808"}), "int64");
}

TEST(TextTypeInference, LeadingZeroIsString) {
  EXPECT_EQ(Infer({"00501"}), "string");
  EXPECT_EQ(Infer({"1", "007"}), "string");
  EXPECT_EQ(Infer({"00.5"}), "string");
}

TEST(TextTypeInference, PlusSignIsString) {
  EXPECT_EQ(Infer({"+5"}), "string");
  EXPECT_EQ(Infer({"+15551234567"}), "string");
}

TEST(TextTypeInference, BeyondInt64) {
  EXPECT_EQ(Infer({"9223372036854775808"}), "decimal(38,0)");
  EXPECT_EQ(Infer({"1", "-99999999999999999999999999999999999999"}), "decimal(38,0)");
  EXPECT_EQ(Infer({"999999999999999999999999999999999999999"}), "string");  // 39 digits
}

TEST(TextTypeInference, Decimals) {
  EXPECT_EQ(Infer({"1.10"}), "decimal(18,2)");
  EXPECT_EQ(Infer({"1.5", "-123.25", "7"}), "decimal(18,2)");
  EXPECT_EQ(Infer({"0.001"}), "decimal(18,3)");
  EXPECT_EQ(Infer({"-0.5", "0"}), "decimal(18,1)");
  EXPECT_EQ(Infer({"1.10"}, false), "float64");
}

TEST(TextTypeInference, DecimalPrecisionWidens) {
  EXPECT_EQ(Infer({"1.5", "0.25"}), "decimal(18,2)");
  EXPECT_EQ(Infer({"123456789012345678.5", "0.25"}), "decimal(38,2)");
  EXPECT_EQ(Infer({"1", "1234567890123456789012345678.5"}), "decimal(38,1)");
}

TEST(TextTypeInference, PrintedDoublesBecomeFloat) {
  EXPECT_EQ(Infer({"0.16666666666666666", "10.833333333333334"}), "float64");
  EXPECT_EQ(Infer({"0.5", "0.1234567"}), "float64");
}

TEST(TextTypeInference, LongExactFractionsStayDecimal) {
  EXPECT_EQ(Infer({"12345678901234567890.123456789012345678"}), "decimal(38,18)");
}

TEST(TextTypeInference, DecimalsWidenPastPrecisionBecomeFloat) {
  EXPECT_EQ(Infer({"12345678901234567890123456789.5", "0.123456789012"}), "float64");
}

TEST(TextTypeInference, DecimalWithoutDigitsOnBothSidesIsString) {
  EXPECT_EQ(Infer({".5"}), "string");
  EXPECT_EQ(Infer({"5."}), "string");
}

TEST(TextTypeInference, Floats) {
  EXPECT_EQ(Infer({"1e5", "2.5E-3", "-7"}), "float64");
  EXPECT_EQ(Infer({"NaN", "inf", "-Infinity", "1.5e0"}), "float64");
  EXPECT_EQ(Infer({"1.5", "2e3"}), "float64");
  EXPECT_EQ(Infer({"1e999"}), "string");
}

TEST(TextTypeInference, FloatWithLargeIntegerIsString) {
  EXPECT_EQ(Infer({"1e3", "9007199254740993"}), "string");
  EXPECT_EQ(Infer({"1e3", "9007199254740992"}), "float64");
  EXPECT_EQ(Infer({"1e3", "9223372036854775808"}), "string");
}

TEST(TextTypeInference, DatesAndTimestamps) {
  EXPECT_EQ(Infer({"2024-01-31", "1999-12-31"}), "date");
  EXPECT_EQ(Infer({"2024-02-30"}), "string");
  EXPECT_EQ(Infer({"2024-01-31T10:00:00", "2024-01-31 10:00:00.123456"}), "timestamp");
  EXPECT_EQ(Infer({"2024-01-31T10:00:00Z", "2024-01-31T10:00:00+02:00"}), "timestamptz");
  EXPECT_EQ(Infer({"2024-01-31", "2024-01-31T10:00:00"}), "string");
  EXPECT_EQ(Infer({"2024-01-31T10:00:00", "2024-01-31T10:00:00Z"}), "string");
}

TEST(TextTypeInference, NoValuesIsString) {
  EXPECT_EQ(Infer({}), "string");
  EXPECT_EQ(Infer({"", ""}), "string");
}

TEST(TextTypeInference, EmptyValuesIgnored) { EXPECT_EQ(Infer({"", "4", ""}), "int64"); }

TEST(TextTypeInference, MixedIsString) {
  EXPECT_EQ(Infer({"1", "abc"}), "string");
  EXPECT_EQ(Infer({"true", "1"}), "string");
  EXPECT_EQ(Infer({"2024-01-01", "5"}), "string");
  EXPECT_EQ(Infer({"abc", "1", "2"}), "string");
  EXPECT_EQ(Infer({"-"}), "string");
  EXPECT_EQ(Infer({" 5"}), "string");
}

}  // namespace
}  // namespace sluice
