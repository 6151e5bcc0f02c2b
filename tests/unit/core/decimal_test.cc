#include "core/decimal.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace sluice {
namespace {

Int128 MaxDecimal38() {
  Int128 value = 0;
  for (int i = 0; i < 38; ++i) value = value * 10 + 9;
  return value;
}

// The text AppendDecimal must produce, built one digit at a time by 128-bit
// division: a separate implementation to compare the writer against.
std::string ReferenceDecimal(Int128 unscaled, int scale) {
  unsigned __int128 magnitude = static_cast<unsigned __int128>(unscaled);
  if (unscaled < 0) magnitude = 0 - magnitude;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  std::string sign = unscaled < 0 ? "-" : "";
  if (scale == 0) return sign + digits;
  if (digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  size_t point = digits.size() - static_cast<size_t>(scale);
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

TEST(FormatDecimal, KeepsScaleAndSign) {
  EXPECT_EQ(FormatDecimal(110, 2), "1.10");
  EXPECT_EQ(FormatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatDecimal(0, 3), "0.000");
  EXPECT_EQ(FormatDecimal(42, 0), "42");
  EXPECT_EQ(FormatDecimal(MaxDecimal38(), 0), std::string(38, '9'));
  EXPECT_EQ(FormatDecimal(-MaxDecimal38(), 38), "-0." + std::string(38, '9'));
}

TEST(AppendInt128, MinimumValue) {
  std::string out;
  Int128 minimum = static_cast<Int128>(static_cast<unsigned __int128>(1) << 127);
  AppendInt128(out, minimum);
  EXPECT_EQ(out, "-170141183460469231731687303715884105728");
}

TEST(ParseDecimalText, ExactDigits) {
  auto value = ParseDecimalText("1.10");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->unscaled, 110);
  EXPECT_EQ(value->scale, 2);
  EXPECT_EQ(value->precision, 3);

  value = ParseDecimalText("-0.05");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->unscaled, -5);
  EXPECT_EQ(value->scale, 2);
  EXPECT_EQ(value->precision, 2);

  value = ParseDecimalText(std::string(38, '9'));
  ASSERT_TRUE(value);
  EXPECT_EQ(value->unscaled, MaxDecimal38());
}

TEST(ParseDecimalText, RejectsNonDecimals) {
  EXPECT_FALSE(ParseDecimalText(""));
  EXPECT_FALSE(ParseDecimalText("-"));
  EXPECT_FALSE(ParseDecimalText("1e5"));
  EXPECT_FALSE(ParseDecimalText("1.2.3"));
  EXPECT_FALSE(ParseDecimalText(std::string(39, '9')));
}

TEST(RescaleDecimal, WidensAndRejectsLoss) {
  auto value = ParseDecimalText("1.5");
  ASSERT_TRUE(value);
  EXPECT_EQ(RescaleDecimal(*value, 10, 3), Int128(1500));
  EXPECT_FALSE(RescaleDecimal(*ParseDecimalText("1.25"), 10, 1));
  EXPECT_FALSE(RescaleDecimal(*ParseDecimalText("12345"), 4, 0));
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(ParseDecimalText, SignificantDigitsSkipLeadingZeros) {
  auto value = ParseDecimalText("0.016666666666666666");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->significant_digits, 17);
  EXPECT_EQ(value->scale, 18);
  EXPECT_EQ(value->precision, 18);
  EXPECT_FALSE(ParseDecimalText("0." + std::string(39, '0') + "1"));
}

TEST(AppendDecimal, MatchesReferenceText) {
  std::mt19937_64 random(17);
  Int128 minimum = static_cast<Int128>(static_cast<unsigned __int128>(1) << 127);
  std::vector<Int128> values = {0, 1, -1, 5, -5, 110, INT64_MAX, -INT64_MAX,
                                static_cast<Int128>(INT64_MIN),
                                static_cast<Int128>(INT64_MAX) + 1,
                                static_cast<Int128>(UINT64_MAX),
                                -static_cast<Int128>(UINT64_MAX),
                                static_cast<Int128>(UINT64_MAX) + 1,
                                -static_cast<Int128>(UINT64_MAX) - 1,
                                static_cast<Int128>(INT64_MAX) * 1000000007,
                                MaxDecimal38(), -MaxDecimal38(), minimum, minimum + 1};
  for (int i = 0; i < 20000; ++i) {
    values.push_back(static_cast<int64_t>(random()) >> (random() % 63));
  }
  for (Int128 value : values) {
    for (int scale : {0, 1, 2, 5, 18, 20, 38}) {
      std::string out;
      AppendDecimal(out, value, scale);
      std::string expected = ReferenceDecimal(value, scale);
      ASSERT_EQ(out, expected) << expected << " scale " << scale;
    }
  }
}

}  // namespace
}  // namespace sluice
