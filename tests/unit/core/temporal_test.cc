#include "core/temporal.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sluice
