#include "sources/generator_source.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/decimal.h"
#include "core/temporal.h"

namespace sluice {
namespace {

// Renders one row as text so rows can be compared across runs.
std::string RowText(const Batch& batch, size_t row) {
  std::string text;
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const Column& column = batch.column(c);
    text += '|';
    if (column.is_null(row)) {
      text += "null";
      continue;
    }
    switch (column.type().id) {
      case TypeId::kBoolean: text += column.bool_at(row) ? "true" : "false"; break;
      case TypeId::kFloat64: text += std::to_string(column.double_at(row)); break;
      case TypeId::kDecimal: text += FormatDecimal(column.decimal_at(row), column.type().scale); break;
      case TypeId::kString:
      case TypeId::kBinary: text += column.bytes_at(row); break;
      default: text += std::to_string(column.int64_at(row)); break;
    }
  }
  return text;
}

std::vector<std::string> ReadAll(GeneratorSource& source, size_t* batches = nullptr) {
  Batch batch(source.schema());
  std::vector<std::string> rows;
  size_t count = 0;
  while (source.next_batch(batch)) {
    ++count;
    for (size_t r = 0; r < batch.num_rows(); ++r) rows.push_back(RowText(batch, r));
  }
  EXPECT_EQ(batch.num_rows(), 0u);
  if (batches != nullptr) *batches = count;
  return rows;
}

TEST(GeneratorSource, SchemaHasEveryType) {
  GeneratorSource source(1, 1, ExportOptions{});
  const Schema& schema = source.schema();
  ASSERT_EQ(schema.size(), 10u);
  std::set<TypeId> types;
  for (const Field& field : schema) types.insert(field.type.id);
  EXPECT_EQ(types.size(), 9u);
  EXPECT_EQ(schema[0].name, "id");
  EXPECT_FALSE(schema[0].nullable);
  EXPECT_EQ(TypeName(schema[3].type), "decimal(18,2)");
  EXPECT_EQ(TypeName(schema[4].type), "decimal(38,10)");
}

TEST(GeneratorSource, ProducesExactRowCount) {
  ExportOptions options;
  options.chunk_bytes = 8 * kKiB;
  GeneratorSource source(5000, 7, options);
  size_t batches = 0;
  std::vector<std::string> rows = ReadAll(source, &batches);
  EXPECT_EQ(rows.size(), 5000u);
  EXPECT_GT(batches, 3u);
  SourceProgress progress = source.progress();
  EXPECT_EQ(progress.rows_read, 5000u);
  EXPECT_EQ(progress.total_rows, 5000u);
  EXPECT_TRUE(progress.total_rows_exact);
}

TEST(GeneratorSource, SameSeedSameRows) {
  ExportOptions small;
  small.chunk_bytes = 8 * kKiB;
  GeneratorSource first(3000, 42, small);
  GeneratorSource second(3000, 42, ExportOptions{});
  GeneratorSource other(3000, 43, ExportOptions{});
  std::vector<std::string> a = ReadAll(first);
  std::vector<std::string> b = ReadAll(second);
  std::vector<std::string> c = ReadAll(other);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(GeneratorSource, NullsInEveryColumnButId) {
  GeneratorSource source(2000, 3, ExportOptions{});
  Batch batch(source.schema());
  std::vector<size_t> nulls(source.schema().size(), 0);
  while (source.next_batch(batch)) {
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      for (size_t r = 0; r < batch.num_rows(); ++r) nulls[c] += batch.column(c).is_null(r) ? 1 : 0;
    }
  }
  EXPECT_EQ(nulls[0], 0u);
  for (size_t c = 1; c < nulls.size(); ++c) {
    EXPECT_GT(nulls[c], 50u) << source.schema()[c].name;
    EXPECT_LT(nulls[c], 250u) << source.schema()[c].name;
  }
}

TEST(GeneratorSource, ValuesStayInRange) {
  GeneratorSource source(20000, 11, ExportOptions{});
  Batch batch(source.schema());
  bool pre_epoch_fraction = false;
  bool awkward_name = false;
  int64_t expected_id = 1;
  while (source.next_batch(batch)) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      EXPECT_EQ(batch.column(0).int64_at(r), expected_id++);
      if (!batch.column(4).is_null(r)) {
        Int128 big = batch.column(4).decimal_at(r);
        EXPECT_LE(FormatDecimal(big < 0 ? -big : big, 0).size(), 38u);
      }
      if (!batch.column(5).is_null(r)) {
        std::string_view name = batch.column(5).bytes_at(r);
        if (name.find_first_of("\",\n") != std::string_view::npos) awkward_name = true;
      }
      if (!batch.column(6).is_null(r)) {
        EXPECT_LE(batch.column(6).bytes_at(r).size(), 16u);
      }
      if (!batch.column(7).is_null(r)) {
        int64_t year = CivilFromDays(batch.column(7).int64_at(r)).year;
        EXPECT_GE(year, 1900);
        EXPECT_LE(year, 2099);
      }
      if (!batch.column(8).is_null(r)) {
        int64_t micros = batch.column(8).int64_at(r);
        if (micros < 0 && micros % kMicrosPerSecond != 0) pre_epoch_fraction = true;
      }
    }
  }
  EXPECT_TRUE(pre_epoch_fraction);
  EXPECT_TRUE(awkward_name);
}

TEST(GeneratorSource, ZeroRows) {
  GeneratorSource source(0, 1, ExportOptions{});
  Batch batch(source.schema());
  EXPECT_FALSE(source.next_batch(batch));
  EXPECT_EQ(source.progress().total_rows, 0u);
}

}  // namespace
}  // namespace sluice
