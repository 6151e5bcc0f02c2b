#include "formats/value_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sluice/error.h"

namespace sluice {
namespace {

std::string Int64Text(int64_t value) {
  std::string out;
  AppendInt64(out, value);
  return out;
}

std::string DoubleText(double value) {
  std::string out;
  AppendDouble(out, value);
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out;
  AppendBase64(out, bytes);
  return out;
}

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(ValueText, Int64Limits) {
  EXPECT_EQ(Int64Text(0), "0");
  EXPECT_EQ(Int64Text(-42), "-42");
  EXPECT_EQ(Int64Text(std::numeric_limits<int64_t>::max()), "9223372036854775807");
  EXPECT_EQ(Int64Text(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
}

TEST(ValueText, DoubleShortestForms) {
  EXPECT_EQ(DoubleText(0.1), "0.1");
  EXPECT_EQ(DoubleText(1.5), "1.5");
  EXPECT_EQ(DoubleText(100.0), "100");
  EXPECT_EQ(DoubleText(1e300), "1e+300");
  EXPECT_EQ(DoubleText(1e20), "1e+20");
  EXPECT_EQ(DoubleText(5e-324), "5e-324");
  EXPECT_EQ(DoubleText(0.0), "0");
  EXPECT_EQ(DoubleText(-0.0), "-0");
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(ValueText, DoubleNonFinite) {
  EXPECT_EQ(DoubleText(std::nan("")), "NaN");
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(DoubleText(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(ValueText, DoubleRoundTripsRandomBits) {
  std::mt19937_64 random(7);
  for (int i = 0; i < 100000; ++i) {
    uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    if (!std::isfinite(value)) continue;
    std::string text = DoubleText(value);
    double parsed = std::strtod(text.c_str(), nullptr);
    uint64_t parsed_bits;
    std::memcpy(&parsed_bits, &parsed, sizeof parsed);
    ASSERT_EQ(parsed_bits, bits) << text;
  }
}

TEST(ValueText, Base64Rfc4648Vectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64(std::string("\xff\xfe\x00", 3)), "//4A");
  EXPECT_EQ(Base64(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(ValueText, Base64AppendsAfterExistingText) {
  std::string out = "x=";
  AppendBase64(out, "foo");
  EXPECT_EQ(out, "x=Zm9v");
}

TEST(ValueText, JsonStringEscapes) {
  EXPECT_EQ(Json(""), "\"\"");
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Json(std::string("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Json("\x7f/"), "\"\x7f/\"");
}

TEST(ValueText, JsonStringKeepsUtf8) {
  EXPECT_EQ(Json("h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80"),
            "\"h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80\"");
  EXPECT_EQ(Json("a\xE2\x80\xA8" "b\xE2\x80\xA9"), "\"a\\u2028b\\u2029\"");
}

TEST(ValueText, JsonStringReplacesInvalidUtf8) {
  std::string out;
  EXPECT_FALSE(AppendJsonString(out, "a\xFF" "b"));
  EXPECT_EQ(out, "\"a\xEF\xBF\xBD" "b\"");

  EXPECT_EQ(Json("\xC3"), "\"\xEF\xBF\xBD\"");                       // truncated
  EXPECT_EQ(Json("\xC0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");       // overlong NUL
  EXPECT_EQ(Json("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
  EXPECT_EQ(Json("\xF4\x90\x80\x80").size(), 2u + 4 * 3);             // above U+10FFFF

  std::string valid;
  EXPECT_TRUE(AppendJsonString(valid, "\xC3\xA9"));
}

TEST(ValueText, TemporalPatternFields) {
  int64_t micros = DaysFromCivil(2024, 2, 29) * kMicrosPerDay +
                   ((13 * 60 + 5) * 60 + 9) * kMicrosPerSecond + 1234;
  EXPECT_EQ(FormatTemporal("%Y-%m-%d %H:%M:%S.%f", micros), "2024-02-29 13:05:09.001234");
  EXPECT_EQ(FormatTemporal("%d/%m/%Y", micros), "29/02/2024");
  EXPECT_EQ(FormatTemporal("100%% at %H", micros), "100% at 13");
  EXPECT_EQ(FormatTemporal("", micros), "");
}

TEST(ValueText, TemporalPatternBefore1970) {
  EXPECT_EQ(FormatTemporal("%Y-%m-%dT%H:%M:%S.%f", -1), "1969-12-31T23:59:59.999999");
  EXPECT_EQ(FormatTemporal("%Y-%m-%dT%H:%M:%S.%f", -500000), "1969-12-31T23:59:59.500000");
  EXPECT_EQ(FormatTemporal("%Y-%m-%d", -kMicrosPerDay), "1969-12-31");

  int64_t year_minus_one = DaysFromCivil(-1, 1, 1) * kMicrosPerDay;
  EXPECT_EQ(FormatTemporal("%Y-%m-%d", year_minus_one), "-0001-01-01");
}

TEST(ValueText, TemporalPatternDate) {
  TemporalPattern pattern("%Y%m%d");
  std::string out;
  pattern.append_date(out, DaysFromCivil(1900, 3, 1));
  EXPECT_EQ(out, "19000301");
}

TEST(ValueText, TemporalPatternRejectsUnknownSpecifier) {
  EXPECT_THROW(TemporalPattern("%Y-%q"), Error);
  EXPECT_THROW(TemporalPattern("%Y%"), Error);
  try {
    TemporalPattern("%Y-%q");
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_STREQ(error.what(),
                 "invalid date/time format '%Y-%q': %q is not supported; "
                 "use %Y %m %d %H %M %S %f or %% for a literal %");
  }
}

}  // namespace
}  // namespace sluice
