#include "sources/postgres_types.h"

#include <gtest/gtest.h>

#include "core/temporal.h"

namespace sluice {
namespace {

// Type modifiers as the server computes them: ((precision << 16) | scale) + 4.
int NumericModifier(int precision, int scale) { return ((precision << 16) | (scale & 0x7FF)) + 4; }

std::string Mapped(uint32_t oid, int modifier = -1) {
  std::optional<DataType> type = TypeFromPostgres(oid, modifier);
  return type ? TypeName(*type) : "sample";
}

TEST(PostgresTypes, MapsTypeOids) {
  EXPECT_EQ(Mapped(16), "boolean");
  EXPECT_EQ(Mapped(20), "int64");
  EXPECT_EQ(Mapped(21), "int64");
  EXPECT_EQ(Mapped(23), "int64");
  EXPECT_EQ(Mapped(700), "float64");
  EXPECT_EQ(Mapped(701), "float64");
  EXPECT_EQ(Mapped(17), "binary");
  EXPECT_EQ(Mapped(1082), "date");
  EXPECT_EQ(Mapped(1114), "timestamp");
  EXPECT_EQ(Mapped(1184), "timestamptz");
  EXPECT_EQ(Mapped(25), "string");
  EXPECT_EQ(Mapped(2950), "string");
  EXPECT_EQ(Mapped(3802), "string");
}

TEST(PostgresTypes, NumericModifiers) {
  EXPECT_EQ(Mapped(1700, NumericModifier(38, 10)), "decimal(38,10)");
  EXPECT_EQ(Mapped(1700, NumericModifier(5, 0)), "decimal(5,0)");
  EXPECT_EQ(Mapped(1700, NumericModifier(39, 2)), "string");
  EXPECT_EQ(Mapped(1700, NumericModifier(5, -2)), "string");
  EXPECT_EQ(Mapped(1700, -1), "sample");
}

TEST(PostgresTypes, ParsesBytea) {
  std::string out;
  ASSERT_TRUE(ParsePostgresBytea("\\x00fFa1", out));
  EXPECT_EQ(out, std::string("\x00\xff\xa1", 3));
  ASSERT_TRUE(ParsePostgresBytea("\\x", out));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(ParsePostgresBytea("\\x0", out));
  EXPECT_FALSE(ParsePostgresBytea("\\xzz", out));
  EXPECT_FALSE(ParsePostgresBytea("abc", out));
}

TEST(PostgresTypes, ParsesDatesWithEra) {
  EXPECT_EQ(ParsePostgresDate("1970-01-02"), 1);
  EXPECT_EQ(ParsePostgresDate("0001-01-01 BC"), DaysFromCivil(0, 1, 1));
  EXPECT_EQ(ParsePostgresDate("0044-03-15 BC"), DaysFromCivil(-43, 3, 15));
  EXPECT_FALSE(ParsePostgresDate("infinity").has_value());
  EXPECT_FALSE(ParsePostgresDate("-infinity").has_value());
  EXPECT_FALSE(ParsePostgresDate("10000-01-01").has_value());
}

TEST(PostgresTypes, ParsesTimestamps) {
  EXPECT_EQ(ParsePostgresTimestamp("1969-12-31 23:59:59.5"), -500000);
  EXPECT_EQ(ParsePostgresTimestamp("1970-01-01 01:00:00+01"), 0);
  EXPECT_EQ(ParsePostgresTimestamp("0001-01-01 00:00:00.25 BC"), DaysFromCivil(0, 1, 1) * kMicrosPerDay + 250000);
  EXPECT_FALSE(ParsePostgresTimestamp("infinity").has_value());
}

}  // namespace
}  // namespace sluice
