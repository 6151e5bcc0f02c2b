// The CSV, JSON and Avro writers reserve their output buffers from the
// memory budget once a long row grows them past kUnreservedBufferBytes.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/error.h"
#include "formats/avro/avro_writer.h"
#include "formats/csv_writer.h"
#include "formats/json_writer.h"
#include "formats/writer_factory.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

using std::chrono::milliseconds;

Schema TextSchema() { return Schema{Field{"text", DataType{TypeId::kString}}}; }

Batch TextBatch(const std::vector<std::string>& values) {
  Batch batch(TextSchema());
  for (const std::string& value : values) batch.column(0).append_bytes(value);
  return batch;
}

// Writes a short batch, a batch with one `long_bytes` row and a short batch
// again, and checks the reservation at each step.
void CheckLongRowReservedAndReleased(FormatWriter& writer, MemoryGovernor& governor, uint64_t long_bytes) {
  StringSink sink;
  writer.begin(TextSchema(), sink);
  writer.write_batch(TextBatch({"a", "b"}));
  EXPECT_EQ(governor.reserved(), 0u);

  writer.write_batch(TextBatch({"c", std::string(long_bytes, 'x'), "d"}));
  EXPECT_GE(governor.peak_reserved(), long_bytes);

  writer.write_batch(TextBatch({"e"}));
  writer.finish();
  EXPECT_GE(sink.bytes_written(), long_bytes);
}

TEST(WriterBufferMemory, CsvLongRowReservedAndReleased) {
  MemoryGovernor governor(64 * kMiB, milliseconds(10));
  CsvWriter writer{CsvWriteOptions{}};
  writer.set_memory_governor(&governor);
  CheckLongRowReservedAndReleased(writer, governor, 5 * kMiB);
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(WriterBufferMemory, JsonLongRowReservedAndReleased) {
  for (bool array : {false, true}) {
    MemoryGovernor governor(64 * kMiB, milliseconds(10));
    JsonWriter writer(array, JsonWriteOptions{});
    writer.set_memory_governor(&governor);
    CheckLongRowReservedAndReleased(writer, governor, 5 * kMiB);
    EXPECT_EQ(governor.reserved(), 0u) << "array " << array;
  }
}

TEST(WriterBufferMemory, CsvLongRowPastLimitTrips) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  CsvWriter writer{CsvWriteOptions{}};
  writer.set_memory_governor(&governor);
  StringSink sink;
  writer.begin(TextSchema(), sink);
  try {
    writer.write_batch(TextBatch({std::string(5 * kMiB, 'x')}));
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    std::string message = error.what();
    EXPECT_EQ(message.rfind("memory limit exceeded: CSV writer output buffer needs ", 0), 0u) << message;
    EXPECT_NE(message.find("but --memory-limit is 4MB; raise --memory-limit"), std::string::npos) << message;
  }
}

TEST(WriterBufferMemory, JsonLongRowPastLimitTrips) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  JsonWriter writer(false, JsonWriteOptions{});
  writer.set_memory_governor(&governor);
  StringSink sink;
  writer.begin(TextSchema(), sink);
  try {
    writer.write_batch(TextBatch({std::string(5 * kMiB, 'x')}));
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("JSON writer output buffer needs"), std::string::npos) << error.what();
  }
}

TEST(WriterBufferMemory, FactoryGivesTextWritersTheBudget) {
  for (const char* format : {"csv", "ndjson", "json"}) {
    MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
    ExportOptions options;
    std::unique_ptr<FormatWriter> writer = MakeFormatWriter(format, options, &governor);
    StringSink sink;
    writer->begin(TextSchema(), sink);
    EXPECT_THROW(writer->write_batch(TextBatch({std::string(5 * kMiB, 'x')})), Error) << format;
  }
}

TEST(WriterBufferMemory, AvroBlockBuffersReserved) {
  MemoryGovernor governor(64 * kMiB, milliseconds(10));
  ExportOptions options;
  options.avro_write.block_bytes = 4 * kMiB;
  options.avro_write.sync_marker_seed = 1;
  {
    std::unique_ptr<FormatWriter> writer = MakeAvroWriter(options, &governor);
    StringSink sink;
    writer->begin(TextSchema(), sink);
    // The open block's buffer, reserved before it is allocated.
    EXPECT_GE(governor.reserved(), 5 * kMiB);
    writer->write_batch(TextBatch({"a", std::string(6 * kMiB, 'x')}));
    // The block grew past its size with the long row, and the framed copy
    // of the block followed it.
    EXPECT_GE(governor.reserved(), 12 * kMiB);
    writer->finish();
  }
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(WriterBufferMemory, AvroBlockPastLimitTrips) {
  MemoryGovernor governor(4 * kMiB, std::chrono::hours(1));
  ExportOptions options;
  options.avro_write.block_bytes = 8 * kMiB;
  std::unique_ptr<FormatWriter> writer = MakeAvroWriter(options, &governor);
  StringSink sink;
  try {
    writer->begin(TextSchema(), sink);
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("Avro block buffers (--avro-block-size) needs 10MB"), std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("make that buffer smaller with the setting in brackets"),
              std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace sluice
