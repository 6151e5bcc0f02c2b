// The Parquet writer under a memory budget: it flushes smaller row groups
// instead of failing, returns every reservation, and trips the breaker only
// when an empty row group still finds no room.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>

#include "core/error.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/parquet_writer.h"
#include "parquet_test_util.h"
#include "sluice/memory_governor.h"
#include "sources/generator_source.h"

namespace sluice {
namespace {

using parquet_test::ReadAll;
using testing::StringSink;
using parquet_test::TempFile;
using namespace std::chrono_literals;

std::vector<Batch> Generate(uint64_t rows, Schema& schema) {
  ExportOptions options;
  options.chunk_bytes = 256 * kKiB;
  GeneratorSource source(rows, 11, options);
  schema = source.schema();
  std::vector<Batch> batches;
  Batch batch(schema);
  while (source.next_batch(batch)) batches.push_back(batch);
  return batches;
}

parquet::FileMetaData Footer(const std::string& bytes) {
  uint32_t length;
  std::memcpy(&length, bytes.data() + bytes.size() - 8, 4);
  return parquet::DecodeFileMetaData(std::string_view(bytes).substr(bytes.size() - 8 - length, length));
}

TEST(ParquetMemoryBudget, RowGroupsShrinkUnderSmallBudget) {
  Schema schema;
  std::vector<Batch> batches = Generate(200000, schema);
  MemoryGovernor memory(4 * kMiB, 200ms);
  StringSink sink;
  uint64_t memory_flushes = 0;
  {
    ParquetWriter writer(ParquetWriteOptions{});  // 64 MiB row groups without a budget
    writer.set_memory_governor(&memory);
    writer.begin(schema, sink);
    for (const Batch& batch : batches) writer.write_batch(batch);
    writer.finish();
    memory_flushes = writer.memory_flushes();
  }
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_GT(memory.peak_reserved(), 0u);
  EXPECT_LE(memory.peak_reserved(), 4 * kMiB);

  parquet::FileMetaData footer = Footer(sink.bytes());
  EXPECT_GT(footer.row_groups.size(), 1u);
  EXPECT_GT(memory_flushes, 0u);
  EXPECT_EQ(footer.num_rows, 200000);

  TempFile file(sink.bytes());
  Batch actual = ReadAll(file.path());
  ASSERT_EQ(actual.num_rows(), 200000u);
  size_t row = 0;
  for (const Batch& batch : batches) {
    for (size_t i = 0; i < batch.num_rows(); ++i, ++row) {
      ASSERT_EQ(actual.column(0).int64_at(row), batch.column(0).int64_at(i)) << "row " << row;
    }
  }
}

TEST(ParquetMemoryBudget, OneRowGroupWithoutPressure) {
  Schema schema;
  std::vector<Batch> batches = Generate(20000, schema);
  MemoryGovernor memory(500 * kMiB, 200ms);
  StringSink sink;
  ParquetWriter writer(ParquetWriteOptions{});
  writer.set_memory_governor(&memory);
  writer.begin(schema, sink);
  for (const Batch& batch : batches) writer.write_batch(batch);
  writer.finish();
  EXPECT_EQ(writer.memory_flushes(), 0u);
  EXPECT_EQ(Footer(sink.bytes()).row_groups.size(), 1u);
}

TEST(ParquetMemoryBudget, ReleasedWhenAbandoned) {
  Schema schema;
  std::vector<Batch> batches = Generate(20000, schema);
  MemoryGovernor memory(64 * kMiB, 200ms);
  StringSink sink;
  {
    ParquetWriter writer(ParquetWriteOptions{});
    writer.set_memory_governor(&memory);
    writer.begin(schema, sink);
    for (const Batch& batch : batches) writer.write_batch(batch);
    EXPECT_GT(memory.reserved(), 0u);
    // Destroyed without finish(), as when an export fails or is cancelled.
  }
  EXPECT_EQ(memory.reserved(), 0u);
}

TEST(ParquetMemoryBudget, BreakerTripsWhenOthersHoldAll) {
  Schema schema;
  std::vector<Batch> batches = Generate(5000, schema);
  MemoryGovernor memory(8 * kMiB, 50ms);
  MemoryReservation other = memory.reserve(8 * kMiB, "another export's buffers");
  StringSink sink;
  ParquetWriter writer(ParquetWriteOptions{});
  writer.set_memory_governor(&memory);
  writer.begin(schema, sink);
  try {
    writer.write_batch(batches[0]);
    FAIL() << "expected the memory limit error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("--memory-limit"), std::string::npos) << error.what();
  }
  other.release();
  EXPECT_EQ(memory.reserved(), 0u);
}

TEST(ParquetMemoryBudget, SharedBudgetWaitFlushesRowGroup) {
  // The export needs an input batch while its row group and another export
  // fill the shared budget. Before waiting it flushes the row group, because
  // the other export may itself be waiting for that memory.
  Schema schema;
  std::vector<Batch> batches = Generate(20000, schema);
  MemoryGovernor shared(4 * kMiB, 1h, "shared budget");
  MemoryGovernor memory(64 * kMiB, 200ms, "--memory-limit", &shared);
  StringSink sink;
  ParquetWriter writer(ParquetWriteOptions{});
  writer.set_memory_governor(&memory);
  writer.begin(schema, sink);
  for (const Batch& batch : batches) writer.write_batch(batch);
  ASSERT_FALSE(writer.at_row_group_boundary());
  uint64_t writer_bytes = memory.reserved();
  ASSERT_GT(writer_bytes, 0u);
  MemoryReservation other = shared.reserve(4 * kMiB - writer_bytes, "another export's buffers");
  uint64_t flushes = writer.memory_flushes();

  MemoryReservation batch = memory.reserve(writer_bytes / 2, "input batch");
  EXPECT_TRUE(writer.at_row_group_boundary());
  EXPECT_EQ(writer.memory_flushes(), flushes + 1);
  batch.release();
  writer.finish();
  EXPECT_EQ(Footer(sink.bytes()).num_rows, 20000);
}

}  // namespace
}  // namespace sluice
