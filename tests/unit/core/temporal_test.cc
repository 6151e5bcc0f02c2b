#include "core/temporal.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

namespace sluice {
namespace {

std::string Timestamp(int64_t micros, char separator = 'T') {
  std::string out;
  AppendTimestamp(out, micros, separator);
  return out;
}

std::string Date(int64_t days) {
  std::string out;
  AppendDate(out, days);
  return out;
}

// The text AppendDate must produce, built field by field with snprintf from
// CivilFromDays: a separate implementation to compare the writer against.
std::string ReferenceDate(int64_t days) {
  CivilDate date = CivilFromDays(days);
  char text[64];
  const char* sign = "";
  if (date.year < 0) sign = "-";
  if (date.year > 9999) sign = "+";
  long long year = date.year < 0 ? -date.year : date.year;
  std::snprintf(text, sizeof text, "%s%04lld-%02d-%02d", sign, year, date.month, date.day);
  return text;
}

std::string ReferenceTimestamp(int64_t micros, char separator) {
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;
  int64_t time_of_day = micros - days * kMicrosPerDay;
  int64_t seconds = time_of_day / kMicrosPerSecond;
  char text[64];
  std::snprintf(text, sizeof text, "%c%02lld:%02lld:%02lld", separator,
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string out = ReferenceDate(days) + text;
  int64_t fraction = time_of_day % kMicrosPerSecond;
  if (fraction != 0) {
    std::snprintf(text, sizeof text, ".%06lld", static_cast<long long>(fraction));
    std::string digits = text;
    out += digits.substr(0, digits.find_last_not_of('0') + 1);
  }
  return out;
}

TEST(Civil, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
}

TEST(Civil, RoundTripsAcrossEras) {
  for (int64_t days = -800000; days <= 800000; days += 997) {
    CivilDate date = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
  }
}

TEST(ParseDate, ValidAndInvalid) {
  EXPECT_EQ(ParseDate("2024-02-29"), DaysFromCivil(2024, 2, 29));
  EXPECT_EQ(ParseDate("1900-01-01"), DaysFromCivil(1900, 1, 1));
  EXPECT_FALSE(ParseDate("2023-02-29"));
  EXPECT_FALSE(ParseDate("2023-13-01"));
  EXPECT_FALSE(ParseDate("2023-1-01"));
  EXPECT_FALSE(ParseDate("00501"));
}

TEST(ParseTimestamp, FractionsBefore1970) {
  auto parsed = ParseTimestamp("1969-12-31T23:59:59.5");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->micros, -500000);
  EXPECT_FALSE(parsed->has_zone);
  EXPECT_EQ(Timestamp(parsed->micros), "1969-12-31T23:59:59.5");
}

TEST(ParseTimestamp, ZonesBecomeUtc) {
  auto parsed = ParseTimestamp("2024-01-01 02:00:00+02:00");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->has_zone);
  EXPECT_EQ(Timestamp(parsed->micros_utc), "2024-01-01T00:00:00");

  parsed = ParseTimestamp("2024-01-01T00:00:00.123456Z");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->micros_utc % 1000000, 123456);
}

TEST(ParseTimestamp, RejectsMalformed) {
  EXPECT_FALSE(ParseTimestamp("2024-01-01"));
  EXPECT_FALSE(ParseTimestamp("2024-01-01T25:00:00"));
  EXPECT_FALSE(ParseTimestamp("2024-01-01T00:00:00.1234567"));
  EXPECT_FALSE(ParseTimestamp("2024-01-01T00:00:00+"));
}

TEST(AppendTimestamp, TrimsFraction) {
  EXPECT_EQ(Timestamp(0), "1970-01-01T00:00:00");
  EXPECT_EQ(Timestamp(1), "1970-01-01T00:00:00.000001");
  EXPECT_EQ(Timestamp(-1, ' '), "1969-12-31 23:59:59.999999");
}

TEST(AppendDate, YearsOutsideFourDigits) {
  EXPECT_EQ(Date(DaysFromCivil(10000, 1, 1)), "+10000-01-01");
  EXPECT_EQ(Date(DaysFromCivil(-1, 1, 1)), "-0001-01-01");
  EXPECT_EQ(Date(DaysFromCivil(99, 12, 31)), "0099-12-31");
}

TEST(AppendDate, MatchesReferenceText) {
  std::mt19937_64 random(11);
  for (int i = 0; i < 200000; ++i) {
    int64_t days = static_cast<int64_t>(random() % 8000000) - 4000000;  // about +-11000 years
    ASSERT_EQ(Date(days), ReferenceDate(days)) << days;
  }
  EXPECT_EQ(Date(INT64_MAX / 2), ReferenceDate(INT64_MAX / 2));
  EXPECT_EQ(Date(-(INT64_MAX / 2)), ReferenceDate(-(INT64_MAX / 2)));
}

TEST(AppendTimestamp, MatchesReferenceText) {
  std::mt19937_64 random(13);
  for (int i = 0; i < 200000; ++i) {
    int64_t micros = static_cast<int64_t>(random() % (8000000LL * kMicrosPerDay)) -
                     4000000LL * kMicrosPerDay;  // about +-11000 years around 1970
    if (i % 3 == 0) micros -= micros % kMicrosPerSecond;  // whole seconds
    if (i % 3 == 1) micros -= micros % 1000;               // milliseconds
    ASSERT_EQ(Timestamp(micros), ReferenceTimestamp(micros, 'T')) << micros;
  }
  // Values near the int64 limits whose whole days, in microseconds, still fit.
  EXPECT_EQ(Timestamp(INT64_MIN + kMicrosPerDay), ReferenceTimestamp(INT64_MIN + kMicrosPerDay, 'T'));
  EXPECT_EQ(Timestamp(INT64_MAX, ' '), ReferenceTimestamp(INT64_MAX, ' '));
  EXPECT_EQ(Timestamp(DaysFromCivil(12000, 1, 1) * kMicrosPerDay, ' '), "+12000-01-01 00:00:00");
}

}  // namespace
}  // namespace sluice
