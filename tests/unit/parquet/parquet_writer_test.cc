#include "formats/parquet/parquet_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "formats/parquet/parquet_metadata.h"
#include "parquet_test_util.h"
#include "sources/generator_source.h"

namespace sluice {
namespace {

using parquet_test::ReadAll;
using parquet_test::TempFile;
using parquet_test::WriteParquet;

uint64_t DoubleBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, 8);
  return bits;
}

void ExpectColumnsEqual(const Column& expected, const Column& actual, const std::string& name) {
  ASSERT_EQ(expected.size(), actual.size()) << name;
  for (size_t row = 0; row < expected.size(); ++row) {
    ASSERT_EQ(expected.is_null(row), actual.is_null(row)) << name << " row " << row;
    if (expected.is_null(row)) continue;
    switch (expected.type().id) {
      case TypeId::kBoolean:
        ASSERT_EQ(expected.bool_at(row), actual.bool_at(row)) << name << " row " << row;
        break;
      case TypeId::kFloat64:
        ASSERT_EQ(DoubleBits(expected.double_at(row)), DoubleBits(actual.double_at(row))) << name << " row " << row;
        break;
      case TypeId::kDecimal:
        ASSERT_TRUE(expected.decimal_at(row) == actual.decimal_at(row)) << name << " row " << row;
        break;
      case TypeId::kString:
      case TypeId::kBinary:
        ASSERT_EQ(expected.bytes_at(row), actual.bytes_at(row)) << name << " row " << row;
        break;
      default:
        ASSERT_EQ(expected.int64_at(row), actual.int64_at(row)) << name << " row " << row;
        break;
    }
  }
}

std::vector<Batch> Generate(uint64_t rows, Schema& schema, uint64_t chunk_bytes = 256 * 1024) {
  ExportOptions options;
  options.chunk_bytes = chunk_bytes;
  GeneratorSource source(rows, 7, options);
  schema = source.schema();
  std::vector<Batch> batches;
  Batch batch(schema);
  while (source.next_batch(batch)) batches.push_back(batch);
  return batches;
}

Batch Concatenate(const Schema& schema, const std::vector<Batch>& batches) {
  Batch all(schema);
  for (const Batch& batch : batches) {
    for (size_t c = 0; c < batch.num_columns(); ++c) all.column(c).append_rows(batch.column(c), 0, batch.num_rows());
  }
  return all;
}

void ExpectRoundTrip(const Schema& schema, const std::vector<Batch>& batches, const ParquetWriteOptions& options) {
  TempFile file(WriteParquet(schema, batches, options));
  Schema read_schema;
  Batch actual = ReadAll(file.path(), &read_schema);
  ASSERT_EQ(read_schema.size(), schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    EXPECT_EQ(read_schema[c].name, schema[c].name);
    EXPECT_EQ(TypeName(read_schema[c].type), TypeName(schema[c].type)) << schema[c].name;
  }
  Batch expected = Concatenate(schema, batches);
  for (size_t c = 0; c < schema.size(); ++c) ExpectColumnsEqual(expected.column(c), actual.column(c), schema[c].name);
}

parquet::FileMetaData Footer(const std::string& bytes) {
  uint32_t length;
  std::memcpy(&length, bytes.data() + bytes.size() - 8, 4);
  return parquet::DecodeFileMetaData(std::string_view(bytes).substr(bytes.size() - 8 - length, length));
}

TEST(ParquetWriter, GeneratedRowsRoundTripEveryCodec) {
  Schema schema;
  std::vector<Batch> batches = Generate(20000, schema);
  for (const char* codec : {"snappy", "gzip", "zstd", "none"}) {
    SCOPED_TRACE(codec);
    ParquetWriteOptions options;
    options.codec = codec;
    ExpectRoundTrip(schema, batches, options);
  }
}

TEST(ParquetWriter, PlainOnlyRoundTrip) {
  Schema schema;
  std::vector<Batch> batches = Generate(5000, schema);
  ParquetWriteOptions options;
  options.dictionary = false;
  options.page_bytes = 4096;  // many pages
  ExpectRoundTrip(schema, batches, options);
}

TEST(ParquetWriter, SmallRowGroupsByRowsAndBytes) {
  Schema schema;
  std::vector<Batch> batches = Generate(10000, schema);
  ParquetWriteOptions by_rows;
  by_rows.row_group_rows = 999;
  ExpectRoundTrip(schema, batches, by_rows);
  std::string bytes = WriteParquet(schema, batches, by_rows);
  parquet::FileMetaData footer = Footer(bytes);
  ASSERT_EQ(footer.row_groups.size(), 11u);
  EXPECT_EQ(footer.row_groups[0].num_rows, 999);
  EXPECT_EQ(footer.row_groups[10].num_rows, 10000 - 999 * 10);
  EXPECT_EQ(footer.num_rows, 10000);

  ParquetWriteOptions by_bytes;
  by_bytes.row_group_bytes = 64 * 1024;
  ExpectRoundTrip(schema, batches, by_bytes);
  EXPECT_GT(Footer(WriteParquet(schema, batches, by_bytes)).row_groups.size(), 3u);
}

TEST(ParquetWriter, ZeroRowsWritesSchemaOnly) {
  Schema schema = {{"a", DataType{TypeId::kInt64}, true}, {"b", DataType{TypeId::kString}, true}};
  std::string bytes = WriteParquet(schema, {});
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
  parquet::FileMetaData footer = Footer(bytes);
  EXPECT_EQ(footer.num_rows, 0);
  EXPECT_TRUE(footer.row_groups.empty());
  ASSERT_EQ(footer.schema.size(), 3u);
  TempFile file(bytes);
  Schema read_schema;
  Batch all = ReadAll(file.path(), &read_schema);
  EXPECT_EQ(all.num_rows(), 0u);
  EXPECT_EQ(read_schema.size(), 2u);
}

TEST(ParquetWriter, AllNullColumnAndRequiredColumn) {
  Schema schema = {{"nothing", DataType{TypeId::kString}, true}, {"id", DataType{TypeId::kInt64}, false}};
  Batch batch(schema);
  for (int i = 0; i < 3000; ++i) {
    batch.column(0).append_null();
    batch.column(1).append_int64(i);
  }
  ExpectRoundTrip(schema, {batch}, {});
  parquet::FileMetaData footer = Footer(WriteParquet(schema, {batch}));
  EXPECT_EQ(*footer.schema[1].repetition, parquet::Repetition::kOptional);
  EXPECT_EQ(*footer.schema[2].repetition, parquet::Repetition::kRequired);
  const parquet::Statistics& stats = *footer.row_groups[0].columns[0].meta_data.statistics;
  EXPECT_EQ(*stats.null_count, 3000);
  EXPECT_FALSE(stats.min_value.has_value());
}

TEST(ParquetWriter, NullInRequiredColumnThrows) {
  Schema schema = {{"id", DataType{TypeId::kInt64}, false}};
  Batch batch(schema);
  batch.column(0).append_null();
  EXPECT_THROW(WriteParquet(schema, {batch}), Error);
}

TEST(ParquetWriter, DictionaryFallsBackToPlain) {
  Schema schema = {{"text", DataType{TypeId::kString}, true}};
  Batch batch(schema);
  for (int i = 0; i < 20000; ++i) batch.column(0).append_bytes("value number " + std::to_string(i));
  ParquetWriteOptions options;
  options.dictionary_page_bytes = 16 * 1024;
  options.page_bytes = 8 * 1024;
  std::string bytes = WriteParquet(schema, {batch}, options);
  parquet::FileMetaData footer = Footer(bytes);
  const parquet::ColumnMetaData& meta = footer.row_groups[0].columns[0].meta_data;
  EXPECT_TRUE(meta.dictionary_page_offset.has_value());
  std::vector<parquet::Encoding> expected = {parquet::Encoding::kPlain, parquet::Encoding::kRle,
                                             parquet::Encoding::kRleDictionary};
  EXPECT_EQ(meta.encodings, expected);
  ExpectRoundTrip(schema, {batch}, options);

  // Few distinct values stay dictionary-encoded: PLAIN is listed only for the dictionary page.
  Batch repeated(schema);
  for (int i = 0; i < 20000; ++i) repeated.column(0).append_bytes(i % 2 ? "odd" : "even");
  std::string small = WriteParquet(schema, {repeated}, options);
  EXPECT_LT(small.size(), 1000u);
  ExpectRoundTrip(schema, {repeated}, options);
}

TEST(ParquetWriter, DistinctValuesSwitchToPlain) {
  Schema schema = {{"id", DataType{TypeId::kInt64}, false}};
  Batch batch(schema);
  for (int64_t i = 0; i < 100000; ++i) batch.column(0).append_int64(i * 7919);
  ParquetWriteOptions plain_options;
  plain_options.codec = "none";
  plain_options.dictionary = false;
  ParquetWriteOptions dictionary_options = plain_options;
  dictionary_options.dictionary = true;
  size_t plain = WriteParquet(schema, {batch}, plain_options).size();
  size_t with_dictionary = WriteParquet(schema, {batch}, dictionary_options).size();
  // Only the first 8192 values go through the dictionary before the check
  // finds PLAIN smaller, so the file grows by at most their dictionary.
  EXPECT_LT(with_dictionary, plain + 8192 * 8 + 4096);
  ExpectRoundTrip(schema, {batch}, dictionary_options);
}

TEST(ParquetWriter, ColumnNamesKeptExactly) {
  Schema schema = {{"with space", DataType{TypeId::kInt64}, true},
                   {"dotted.name", DataType{TypeId::kInt64}, true},
                   {"naïve 日本", DataType{TypeId::kInt64}, true}};
  Batch batch(schema);
  for (size_t c = 0; c < 3; ++c) batch.column(c).append_int64(static_cast<int64_t>(c));
  ExpectRoundTrip(schema, {batch}, {});
}

TEST(ParquetWriter, SchemaTypesAndCreatedBy) {
  Schema schema;
  std::vector<Batch> batches = Generate(100, schema);
  parquet::FileMetaData footer = Footer(WriteParquet(schema, batches));
  EXPECT_EQ(footer.created_by, std::string("sluice version ") + SLUICE_VERSION);
  for (size_t c = 0; c < schema.size(); ++c) {
    const parquet::SchemaElement& element = footer.schema[c + 1];
    if (schema[c].type.id == TypeId::kDecimal && schema[c].type.precision == 38) {
      EXPECT_EQ(*element.type, parquet::PhysicalType::kFixedLenByteArray);
      EXPECT_EQ(element.type_length, 16);
      EXPECT_EQ(element.logical_type.kind, parquet::LogicalType::Kind::kDecimal);
    }
    if (schema[c].type.id == TypeId::kTimestamp) {
      EXPECT_EQ(element.logical_type.kind, parquet::LogicalType::Kind::kTimestamp);
      EXPECT_FALSE(element.logical_type.adjusted_to_utc);
      EXPECT_FALSE(element.converted_type.has_value());
    }
    if (schema[c].type.id == TypeId::kTimestampTz) EXPECT_TRUE(element.logical_type.adjusted_to_utc);
  }
}

TEST(ParquetWriter, OutputIsDeterministic) {
  Schema schema;
  std::vector<Batch> batches = Generate(3000, schema);
  EXPECT_EQ(WriteParquet(schema, batches), WriteParquet(schema, batches));
}

TEST(ParquetWriter, CheckpointRestoreGivesIdenticalFile) {
  Schema schema;
  std::vector<Batch> batches = Generate(8000, schema, 64 * 1024);
  ASSERT_GT(batches.size(), 6u);
  ParquetWriteOptions options;
  options.row_group_bytes = 100 * 1024;
  const size_t checkpoint_every = 3;  // batches between checkpoints, as the pipeline takes them

  // The uninterrupted run, taking the same checkpoints.
  testing::StringSink whole_sink;
  ParquetWriter whole(options);
  whole.begin(schema, whole_sink);
  for (size_t i = 0; i < batches.size(); ++i) {
    whole.write_batch(batches[i]);
    if ((i + 1) % checkpoint_every == 0) ASSERT_TRUE(whole.checkpoint_state().has_value());
  }
  whole.finish();

  // A run stopped after its second checkpoint, then continued by a restored writer.
  testing::StringSink first_sink;
  ParquetWriter first(options);
  first.begin(schema, first_sink);
  size_t next = 0;
  std::string state;
  for (; next < 2 * checkpoint_every; ++next) {
    first.write_batch(batches[next]);
    if ((next + 1) % checkpoint_every == 0) state = *first.checkpoint_state();
  }
  EXPECT_TRUE(first.at_row_group_boundary());
  EXPECT_EQ(first.file_offset(), first_sink.bytes().size());
  EXPECT_EQ(first.buffered_bytes(), 0u);

  testing::StringSink second_sink;
  ParquetWriter second(options);
  second.restore(schema, second_sink, state);
  for (; next < batches.size(); ++next) {
    second.write_batch(batches[next]);
    if ((next + 1) % checkpoint_every == 0) ASSERT_TRUE(second.checkpoint_state().has_value());
  }
  second.finish();
  EXPECT_EQ(first_sink.bytes() + second_sink.bytes(), whole_sink.bytes());

  // The restoring constructor is the same as restore().
  testing::StringSink third_sink;
  ParquetWriter third(options, state);
  third.begin(schema, third_sink);
  for (next = 2 * checkpoint_every; next < batches.size(); ++next) {
    third.write_batch(batches[next]);
    if ((next + 1) % checkpoint_every == 0) third.checkpoint_state();
  }
  third.finish();
  EXPECT_EQ(third_sink.bytes(), second_sink.bytes());

  TempFile file(whole_sink.bytes());
  EXPECT_EQ(ReadAll(file.path()).num_rows(), 8000u);
}

TEST(ParquetWriter, CheckpointWithOtherSchemaThrows) {
  Schema schema = {{"a", DataType{TypeId::kInt64}, true}};
  testing::StringSink sink;
  ParquetWriter writer(ParquetWriteOptions{});
  writer.begin(schema, sink);
  std::string state = *writer.checkpoint_state();
  Schema other = {{"b", DataType{TypeId::kInt64}, true}};
  ParquetWriter restored(ParquetWriteOptions{});
  EXPECT_THROW(restored.restore(other, sink, state), Error);
  EXPECT_THROW(ParquetWriter(ParquetWriteOptions{}, "garbage"), Error);
}

TEST(ParquetWriter, InvalidOptionsThrow) {
  ParquetWriteOptions codec;
  codec.codec = "lzma";
  EXPECT_THROW(ParquetWriter{codec}, Error);
  ParquetWriteOptions level;
  level.codec = "gzip";
  level.compression_level = 12;
  EXPECT_THROW(ParquetWriter{level}, Error);
}

TEST(ParquetWriter, SpecialDoublesAndExtremeValues) {
  Schema schema = {{"d", DataType{TypeId::kFloat64}, true},
                   {"i", DataType{TypeId::kInt64}, true},
                   {"small", DataType::Decimal(9, 2), true},
                   {"wide", DataType::Decimal(38, 0), true}};
  Batch batch(schema);
  double doubles[] = {std::nan(""), -0.0, 0.0, std::numeric_limits<double>::infinity(),
                      -std::numeric_limits<double>::infinity(), 1e-310};
  int64_t ints[] = {INT64_MIN, INT64_MAX, 0, -1, 1, 42};
  Int128 max38 = 1;
  for (int i = 0; i < 38; ++i) max38 *= 10;
  max38 -= 1;
  Int128 wides[] = {max38, -max38, 0, -1, 1, 123};
  for (int i = 0; i < 6; ++i) {
    batch.column(0).append_double(doubles[i]);
    batch.column(1).append_int64(ints[i]);
    batch.column(2).append_decimal(i % 2 ? -999999999 : 999999999);
    batch.column(3).append_decimal(wides[i]);
  }
  ExpectRoundTrip(schema, {batch}, {});
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(ParquetWriter, SmallestFileHandCheckedBytes) {
  Schema schema = {{"a", DataType{TypeId::kInt64}, false}};
  Batch batch(schema);
  batch.column(0).append_int64(1);
  ParquetWriteOptions options;
  options.codec = "none";
  options.dictionary = false;
  std::string bytes = WriteParquet(schema, {batch}, options);

  // "PAR1", then the page header: type DATA_PAGE (0x15 0x00), uncompressed
  // and compressed size 8 (0x15 0x10 twice), data_page_header as field 5
  // (0x2c) with num_values 1, encoding PLAIN, level encodings RLE, and two
  // struct ends; then the value 1 as 8 little-endian bytes.
  std::string expected("PAR1"
                       "\x15\x00\x15\x10\x15\x10\x2c\x15\x02\x15\x00\x15\x06\x15\x06\x00\x00"
                       "\x01\x00\x00\x00\x00\x00\x00\x00",
                       29);
  EXPECT_EQ(bytes.substr(0, 29), expected);

  parquet::FileMetaData footer = Footer(bytes);
  ASSERT_EQ(footer.row_groups.size(), 1u);
  const parquet::ColumnMetaData& meta = footer.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(meta.data_page_offset, 4);
  EXPECT_EQ(meta.total_compressed_size, 25);
  EXPECT_EQ(meta.total_uncompressed_size, 25);
  EXPECT_EQ(meta.encodings, std::vector<parquet::Encoding>{parquet::Encoding::kPlain});
  EXPECT_EQ(*meta.statistics->min_value, std::string("\x01\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
}

TEST(ParquetWriter, WideSchemaGetsSmallerPages) {
  Schema schema;
  for (int c = 0; c < 400; ++c) schema.push_back({"c" + std::to_string(c), DataType{TypeId::kInt64}, true});
  Batch batch(schema);
  for (int row = 0; row < 10000; ++row) {
    for (int c = 0; c < 400; ++c) batch.column(c).append_int64(row * 400 + c);
  }
  ParquetWriteOptions options;
  options.row_group_bytes = 8 * 1024 * 1024;
  std::string bytes = WriteParquet(schema, {batch}, options);
  parquet::FileMetaData footer = Footer(bytes);

  // 8 MiB / (2 * 400 columns) is below the 64 KiB floor, so pages and
  // dictionaries are limited to 64 KiB. The default 1 MiB limits would give
  // one dictionary page and one data page for 10000 distinct int64 values.
  const parquet::ColumnMetaData& meta = footer.row_groups[0].columns[0].meta_data;
  int64_t position = meta.dictionary_page_offset.value_or(meta.data_page_offset);
  int64_t end = position + meta.total_compressed_size;
  int pages = 0;
  while (position < end) {
    size_t header_size = 0;
    parquet::PageHeader header = parquet::DecodePageHeader(std::string_view(bytes).substr(position), header_size);
    position += static_cast<int64_t>(header_size) + header.compressed_page_size;
    ++pages;
  }
  EXPECT_EQ(position, end);
  EXPECT_GE(pages, 3);

  TempFile file(bytes);
  Batch all = ReadAll(file.path());
  ASSERT_EQ(all.num_rows(), 10000u);
  EXPECT_EQ(all.column(399).int64_at(9999), 9999 * 400 + 399);
}

}  // namespace
}  // namespace sluice
