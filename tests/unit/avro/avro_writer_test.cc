#include "formats/avro/avro_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <fstream>

#include "avro_test_util.h"
#include "core/batch.h"
#include "sluice/error.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::AvroInput;
using testing::StringSink;
using testing::ParseContainer;

Schema TwoColumns() { return {{"id", {TypeId::kInt64}, false}, {"name", {TypeId::kString}, true}}; }

Batch MakeRows(const Schema& schema, int64_t first, int64_t count) {
  Batch batch(schema);
  for (int64_t i = first; i < first + count; ++i) {
    batch.column(0).append_int64(i);
    if (i % 3 == 0) batch.column(1).append_null();
    else batch.column(1).append_bytes("row" + std::to_string(i));
  }
  return batch;
}

std::string Export(const ExportOptions& options, const Schema& schema, const std::vector<Batch>& batches) {
  StringSink sink;
  auto writer = MakeAvroWriter(options);
  writer->begin(schema, sink);
  for (const Batch& batch : batches) writer->write_batch(batch);
  writer->finish();
  return sink.bytes();
}

std::string Decompress(AvroCodec codec, const std::string& data) {
  switch (codec) {
    case AvroCodec::kNull:
      return data;
    case AvroCodec::kDeflate: {
      z_stream stream{};
      inflateInit2(&stream, -15);
      std::string out(1 << 20, '\0');
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      stream.avail_in = static_cast<uInt>(data.size());
      stream.next_out = reinterpret_cast<Bytef*>(out.data());
      stream.avail_out = static_cast<uInt>(out.size());
      EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
      out.resize(stream.total_out);
      inflateEnd(&stream);
      return out;
    }
    case AvroCodec::kSnappy: {
      std::string out;
      EXPECT_TRUE(snappy::Uncompress(data.data(), data.size() - 4, &out));
      uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
      std::string expected_crc = {static_cast<char>(crc >> 24), static_cast<char>(crc >> 16),
                                  static_cast<char>(crc >> 8), static_cast<char>(crc)};
      EXPECT_EQ(data.substr(data.size() - 4), expected_crc);
      return out;
    }
    case AvroCodec::kZstandard: {
      std::string out(ZSTD_getFrameContentSize(data.data(), data.size()), '\0');
      EXPECT_EQ(ZSTD_decompress(out.data(), out.size(), data.data(), data.size()), out.size());
      return out;
    }
  }
  return "";
}

// Decodes rows of TwoColumns()'s derived schema: long, ["null", string].
std::vector<std::string> DecodeRows(AvroCodec codec, const std::string& file) {
  std::vector<std::string> rows;
  auto container = ParseContainer(file);
  for (const auto& block : container.blocks) {
    EXPECT_EQ(block.sync, container.sync);
    std::string data = Decompress(codec, block.data);
    AvroInput input(data);
    for (int64_t i = 0; i < block.count; ++i) {
      std::string row = std::to_string(input.read_long());
      row += input.read_long() == 0 ? ",null" : "," + input.read_bytes();
      rows.push_back(row);
    }
    EXPECT_TRUE(input.at_end());
  }
  return rows;
}

ExportOptions SeededOptions(AvroCodec codec = AvroCodec::kNull) {
  ExportOptions options;
  options.avro_write.codec = codec;
  options.avro_write.sync_marker_seed = 7;
  return options;
}

TEST(AvroWriter, HeaderHasSchemaCodecAndSync) {
  std::string file = Export(SeededOptions(), TwoColumns(), {});
  auto container = ParseContainer(file);
  EXPECT_EQ(container.metadata["avro.codec"], "null");
  EXPECT_EQ(container.metadata["avro.schema"],
            R"({"type":"record","name":"Row","fields":[{"name":"id","type":"long"},)"
            R"({"name":"name","type":["null","string"],"default":null}]})");
  EXPECT_EQ(container.sync.size(), 16u);
  EXPECT_TRUE(container.blocks.empty());
}

TEST(AvroWriter, RowsRoundTripInEveryCodec) {
  for (AvroCodec codec : {AvroCodec::kNull, AvroCodec::kDeflate, AvroCodec::kSnappy, AvroCodec::kZstandard}) {
    std::string file = Export(SeededOptions(codec), TwoColumns(), {MakeRows(TwoColumns(), 1, 4)});
    EXPECT_EQ(ParseContainer(file).metadata["avro.codec"],
              codec == AvroCodec::kNull ? "null" : codec == AvroCodec::kDeflate ? "deflate"
                                                 : codec == AvroCodec::kSnappy  ? "snappy" : "zstandard");
    EXPECT_EQ(DecodeRows(codec, file), (std::vector<std::string>{"1,row1", "2,row2", "3,null", "4,row4"}));
  }
}

TEST(AvroWriter, NullCodecBlockBytes) {
  std::string file = Export(SeededOptions(), TwoColumns(), {MakeRows(TwoColumns(), 1, 1)});
  auto container = ParseContainer(file);
  ASSERT_EQ(container.blocks.size(), 1u);
  EXPECT_EQ(container.blocks[0].count, 1);
  // id 1, union branch 1, "row1".
  EXPECT_EQ(container.blocks[0].data, "\x02\x02\x08row1");
}

TEST(AvroWriter, BlocksEndAtBlockSizeAndBatchEnd) {
  ExportOptions options = SeededOptions();
  options.avro_write.block_bytes = 1024;
  std::string file = Export(options, TwoColumns(), {MakeRows(TwoColumns(), 0, 500), MakeRows(TwoColumns(), 500, 10)});
  auto container = ParseContainer(file);
  ASSERT_GT(container.blocks.size(), 3u);
  EXPECT_EQ(container.blocks.back().count, 10);
  int64_t total = 0;
  for (size_t i = 0; i + 2 < container.blocks.size(); ++i) EXPECT_GE(container.blocks[i].data.size(), 1024u);
  for (const auto& block : container.blocks) total += block.count;
  EXPECT_EQ(total, 510);
  EXPECT_EQ(DecodeRows(AvroCodec::kNull, file).size(), 510u);
}

TEST(AvroWriter, SameSeedSameBytes) {
  std::vector<Batch> batches = {MakeRows(TwoColumns(), 1, 100)};
  EXPECT_EQ(Export(SeededOptions(AvroCodec::kDeflate), TwoColumns(), batches),
            Export(SeededOptions(AvroCodec::kDeflate), TwoColumns(), batches));
}

TEST(AvroWriter, SyncMarkerFromSeedOrExportId) {
  AvroWriteOptions options;
  options.sync_marker_seed = 1;
  AvroSyncMarker seeded = MakeAvroSyncMarker(options, "ignored");
  EXPECT_EQ(seeded, MakeAvroSyncMarker(options, "other"));
  options.sync_marker_seed = 2;
  EXPECT_NE(seeded, MakeAvroSyncMarker(options, "ignored"));

  AvroWriteOptions unseeded;
  EXPECT_EQ(MakeAvroSyncMarker(unseeded, "abc"), MakeAvroSyncMarker(unseeded, "abc"));
  EXPECT_NE(MakeAvroSyncMarker(unseeded, "abc"), MakeAvroSyncMarker(unseeded, "abd"));
  EXPECT_NE(MakeAvroSyncMarker(unseeded, ""), MakeAvroSyncMarker(unseeded, ""));
}

TEST(AvroWriter, NullIntoNonNullableFieldRejected) {
  std::string path = ::testing::TempDir() + "avro_writer_test_nonnull_" + std::to_string(getpid()) + ".avsc";
  std::ofstream(path) << R"({"type":"record","name":"R","fields":[{"name":"id","type":"long"},{"name":"name","type":"string"}]})";
  ExportOptions options = SeededOptions();
  options.avro_write.schema_path = path;
  try {
    Export(options, TwoColumns(), {MakeRows(TwoColumns(), 1, 5)});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("row 3"), std::string::npos) << error.what();
  }
  std::remove(path.c_str());
}

TEST(AvroWriter, SchemaFileDefaultsAndPromotion) {
  std::string path = ::testing::TempDir() + "avro_writer_test_evolve_" + std::to_string(getpid()) + ".avsc";
  std::ofstream(path) << R"({"type":"record","name":"R","namespace":"x","fields":[)"
                         R"({"name":"id","type":"double"},{"name":"flag","type":"boolean","default":true}]})";
  ExportOptions options = SeededOptions();
  options.avro_write.schema_path = path;
  std::string file = Export(options, TwoColumns(), {MakeRows(TwoColumns(), 1, 2)});
  auto container = ParseContainer(file);
  ASSERT_EQ(container.blocks.size(), 1u);
  AvroInput input(container.blocks[0].data);
  EXPECT_EQ(input.read_double(), 1.0);
  EXPECT_EQ(input.read_fixed(1), "\x01");
  EXPECT_EQ(input.read_double(), 2.0);
  EXPECT_EQ(input.read_fixed(1), "\x01");
  EXPECT_TRUE(input.at_end());
  std::remove(path.c_str());
}

TEST(AvroWriter, InvalidOptionsRejected) {
  ExportOptions options;
  options.avro_write.codec = AvroCodec::kDeflate;
  options.avro_write.codec_level = 13;
  EXPECT_THROW(MakeAvroWriter(options), Error);
  options.avro_write.codec_level = 0;
  options.avro_write.block_bytes = 10;
  EXPECT_THROW(MakeAvroWriter(options), Error);
  options.avro_write.block_bytes = 64 * kKiB;
  options.avro_write.schema_path = "/nonexistent/schema.avsc";
  EXPECT_THROW(MakeAvroWriter(options), Error);
}

TEST(AvroWriter, DateOutsideIntRangeRejected) {
  Schema schema = {{"day", {TypeId::kDate}, false}};
  Batch batch(schema);
  batch.column(0).append_int64(int64_t{1} << 40);
  EXPECT_THROW(Export(SeededOptions(), schema, {batch}), Error);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(AvroWriter, RestoreContinuesSameFile) {
  // Without a seed or export id the sync marker is random, so the restored
  // writer must take it from the checkpoint state.
  ExportOptions options;
  options.avro_write.codec = AvroCodec::kNull;
  std::vector<Batch> batches = {MakeRows(TwoColumns(), 1, 50), MakeRows(TwoColumns(), 51, 50)};

  StringSink sink;
  auto first = MakeAvroWriter(options);
  first->begin(TwoColumns(), sink);
  first->write_batch(batches[0]);
  std::optional<std::string> state = first->checkpoint_state();
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(first->buffered_bytes(), 0u);

  auto second = MakeAvroWriter(options);
  second->restore(TwoColumns(), sink, *state);
  second->write_batch(batches[1]);
  second->finish();

  auto container = ParseContainer(sink.bytes());
  ASSERT_EQ(container.blocks.size(), 2u);
  EXPECT_EQ(container.blocks[1].sync, container.sync);
  std::vector<std::string> rows = DecodeRows(AvroCodec::kNull, sink.bytes());
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[99], "100,row100");
}

TEST(AvroWriter, RestoreMatchesUninterruptedExport) {
  ExportOptions options = SeededOptions(AvroCodec::kDeflate);
  std::vector<Batch> batches = {MakeRows(TwoColumns(), 1, 30), MakeRows(TwoColumns(), 31, 30)};
  std::string whole = Export(options, TwoColumns(), batches);

  StringSink sink;
  auto first = MakeAvroWriter(options);
  first->begin(TwoColumns(), sink);
  first->write_batch(batches[0]);
  std::string state = first->checkpoint_state().value();
  auto second = MakeAvroWriter(options);
  second->restore(TwoColumns(), sink, state);
  second->write_batch(batches[1]);
  second->finish();
  EXPECT_EQ(sink.bytes(), whole);
}

TEST(AvroWriter, InvalidStateRejected) {
  StringSink sink;
  auto writer = MakeAvroWriter(ExportOptions{});
  EXPECT_THROW(writer->restore(TwoColumns(), sink, "avro1:zz"), Error);
  EXPECT_THROW(writer->restore(TwoColumns(), sink, "parquet:1"), Error);
  EXPECT_THROW(writer->restore(TwoColumns(), sink, "avro1:" + std::string(32, '0') + ":x"), Error);
}

}  // namespace
}  // namespace sluice
