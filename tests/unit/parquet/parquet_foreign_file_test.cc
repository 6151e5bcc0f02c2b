// Reads Parquet files written by DuckDB (see tests/data/parquet/README.md)
// and checks every value against the formulas that produced them.
#include <gtest/gtest.h>

#include <string>

#include "core/temporal.h"
#include "parquet_test_util.h"

namespace sluice {
namespace {

void ExpectDuckDbRows(const std::string& name) {
  Schema schema;
  Batch all = parquet_test::ReadAll(std::string(SLUICE_TEST_DATA_DIR) + "/parquet/" + name, &schema, 8 * 1024);
  ASSERT_EQ(all.num_rows(), 1000u);
  ASSERT_EQ(schema.size(), 10u);
  EXPECT_EQ(TypeName(schema[1].type), "int64");    // INT32
  EXPECT_EQ(TypeName(schema[3].type), "float64");  // FLOAT
  EXPECT_EQ(TypeName(schema[6].type), "decimal(12,2)");
  EXPECT_EQ(TypeName(schema[7].type), "date");
  EXPECT_EQ(TypeName(schema[8].type), "timestamp");  // TIMESTAMP(MILLIS, local)

  int64_t first_day = DaysFromCivil(2000, 1, 1);
  int64_t first_micros = DaysFromCivil(2020, 1, 1) * kMicrosPerDay;
  for (int64_t i = 0; i < 1000; ++i) {
    size_t row = static_cast<size_t>(i);
    ASSERT_EQ(all.column(0).int64_at(row), i);
    ASSERT_EQ(all.column(1).int64_at(row), i * -3);
    ASSERT_EQ(all.column(2).double_at(row), i * 1.5);
    ASSERT_EQ(all.column(3).double_at(row), static_cast<double>(static_cast<float>(i / 4.0)));
    if (i % 7 == 0) {
      ASSERT_TRUE(all.column(4).is_null(row));
    } else {
      ASSERT_EQ(all.column(4).bytes_at(row), "row-" + std::to_string(i));
    }
    ASSERT_EQ(all.column(5).bytes_at(row), std::to_string(i % 5));
    ASSERT_TRUE(all.column(6).decimal_at(row) == Int128{i * 100 + 1} * 100);
    ASSERT_EQ(all.column(7).int64_at(row), first_day + i);
    ASSERT_EQ(all.column(8).int64_at(row), first_micros + i * 1000);
    if (i % 3 == 0) {
      ASSERT_TRUE(all.column(9).is_null(row));
    } else {
      ASSERT_EQ(all.column(9).bool_at(row), i % 2 == 0);
    }
  }
}

TEST(ParquetForeignFile, DuckDbDataPageV1Snappy) { ExpectDuckDbRows("duckdb_v1_snappy.parquet"); }

TEST(ParquetForeignFile, DuckDbDataPageV2Zstd) { ExpectDuckDbRows("duckdb_v2_zstd.parquet"); }

}  // namespace
}  // namespace sluice
