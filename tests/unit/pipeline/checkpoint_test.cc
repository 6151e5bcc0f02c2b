// Round trips of checkpoints and export options through their JSON forms.
#include "pipeline/checkpoint.h"

#include <gtest/gtest.h>

#include "pipeline/options_json.h"
#include "sluice/error.h"

namespace sluice {
namespace {

TEST(Checkpoint, RoundTripsEveryField) {
  Checkpoint checkpoint;
  checkpoint.part = 3;
  checkpoint.chunk = 120;
  checkpoint.records = 98765;
  checkpoint.source_position = "offset=123;line=4;column=1;state=5;reader_skipped=0;rows=9;skipped=1";
  checkpoint.skip_rows = 17;
  checkpoint.part_start = false;
  checkpoint.writer_state = "rows_written=9;altered_values=2";
  checkpoint.writer_bytes = 1 << 20;
  checkpoint.stream_offset = 500000;
  checkpoint.output_offset = 400000;
  checkpoint.temp_path = "/data/.out.csv.sluice-tmp-0123456789abcdef";
  checkpoint.part_rows = 4321;
  checkpoint.bytes_per_row = 123.456789012345;
  checkpoint.transform_ratio = 0.3141592653589793;
  checkpoint.altered_values = 5;
  SluiceContainerState state;
  state.params.scrypt = ScryptParams{10, 8, 1};
  for (size_t i = 0; i < state.params.salt.size(); ++i) state.params.salt[i] = static_cast<uint8_t>(i * 7);
  for (size_t i = 0; i < state.params.nonce_prefix.size(); ++i) state.params.nonce_prefix[i] = static_cast<uint8_t>(200 + i);
  state.segments_sealed = 6;
  checkpoint.encryption = state;

  Checkpoint decoded = CheckpointFromJson(CheckpointToJson(checkpoint));
  EXPECT_EQ(decoded.part, 3u);
  EXPECT_EQ(decoded.chunk, 120u);
  EXPECT_EQ(decoded.records, 98765u);
  EXPECT_EQ(decoded.source_position, checkpoint.source_position);
  EXPECT_EQ(decoded.skip_rows, 17u);
  EXPECT_FALSE(decoded.part_start);
  EXPECT_EQ(decoded.writer_state, checkpoint.writer_state);
  EXPECT_EQ(decoded.writer_bytes, checkpoint.writer_bytes);
  EXPECT_EQ(decoded.stream_offset, 500000u);
  EXPECT_EQ(decoded.output_offset, 400000u);
  EXPECT_EQ(decoded.temp_path, checkpoint.temp_path);
  EXPECT_EQ(decoded.part_rows, 4321u);
  EXPECT_EQ(decoded.bytes_per_row, checkpoint.bytes_per_row);  // exact: doubles round-trip
  EXPECT_EQ(decoded.transform_ratio, checkpoint.transform_ratio);
  EXPECT_EQ(decoded.altered_values, 5u);
  ASSERT_TRUE(decoded.encryption.has_value());
  EXPECT_EQ(decoded.encryption->segments_sealed, 6u);
  EXPECT_EQ(decoded.encryption->params.salt, state.params.salt);
  EXPECT_EQ(decoded.encryption->params.nonce_prefix, state.params.nonce_prefix);
  EXPECT_EQ(decoded.encryption->params.scrypt.log_n, 10);
}

TEST(Checkpoint, PartStartWithoutEncryption) {
  Checkpoint checkpoint;
  checkpoint.part_start = true;
  checkpoint.source_position = "row=0";
  Checkpoint decoded = CheckpointFromJson(CheckpointToJson(checkpoint));
  EXPECT_TRUE(decoded.part_start);
  EXPECT_FALSE(decoded.encryption.has_value());
}

TEST(Checkpoint, RejectsMalformedJson) {
  EXPECT_THROW(CheckpointFromJson("{\"part\": 1}"), Error);
  EXPECT_THROW(CheckpointFromJson("not json"), Error);
}

TEST(OptionsJson, RoundTripsWithoutPassword) {
  ExportOptions options;
  options.source = "data/in.csv";
  options.destination = "out.csv.zst";
  options.compression_level = 5;
  options.chunk_bytes = 64 * kKiB;
  options.max_file_bytes = 3 * kMiB;
  options.skip_bad_rows = true;
  options.csv_read.delimiter = ';';
  options.csv_write.quoting = CsvQuoting::kAlways;
  options.csv_write.line_ending = "\r\n";
  options.json_write.pretty = true;
  options.encryption.mode = EncryptionMode::kSluice;
  options.encryption.password = "hunter2";
  options.encryption.test_seed = 7;
  options.avro_write.sync_marker_seed = 9;
  options.xlsx_write.overflow = XlsxOverflow::kError;
  options.export_id = "abc";
  options.checkpoint_bytes = 256 * kKiB;

  std::string json = OptionsToJson(options);
  EXPECT_EQ(json.find("hunter2"), std::string::npos);
  ExportOptions decoded = OptionsFromJson(json);
  EXPECT_EQ(decoded.source, "data/in.csv");
  EXPECT_EQ(decoded.destination, "out.csv.zst");
  EXPECT_EQ(decoded.compression_level, 5);
  EXPECT_EQ(decoded.chunk_bytes, 64 * kKiB);
  EXPECT_EQ(decoded.max_file_bytes, 3 * kMiB);
  EXPECT_TRUE(decoded.skip_bad_rows);
  EXPECT_EQ(decoded.csv_read.delimiter, ';');
  EXPECT_EQ(decoded.csv_write.quoting, CsvQuoting::kAlways);
  EXPECT_EQ(decoded.csv_write.line_ending, "\r\n");
  EXPECT_TRUE(decoded.json_write.pretty);
  EXPECT_EQ(decoded.encryption.mode, EncryptionMode::kSluice);
  EXPECT_TRUE(decoded.encryption.password.empty());
  EXPECT_EQ(decoded.encryption.test_seed, std::optional<uint64_t>(7));
  EXPECT_EQ(decoded.avro_write.sync_marker_seed, std::optional<uint64_t>(9));
  EXPECT_EQ(decoded.xlsx_write.overflow, XlsxOverflow::kError);
  EXPECT_EQ(decoded.export_id, "abc");
  EXPECT_EQ(decoded.checkpoint_bytes, 256 * kKiB);
}

TEST(OptionsJson, SourceWithoutPassword) {
  EXPECT_EQ(SourceWithoutPassword("postgresql://me:secret@db:5432/shop?query=SELECT%201"),
            "postgresql://me@db:5432/shop?query=SELECT%201");
  EXPECT_EQ(SourceWithoutPassword("postgres://db/shop?password=secret&query=q"), "postgres://db/shop?query=q");
  EXPECT_EQ(SourceWithoutPassword("data/in.csv"), "data/in.csv");
}

TEST(OptionsJson, AbsolutePaths) {
  ExportOptions options;
  options.source = "sqlite:shop.db?table=t";
  options.destination = "out.csv";
  ExportOptions absolute = WithAbsolutePaths(options);
  EXPECT_EQ(absolute.source.rfind("sqlite:/", 0), 0u);
  EXPECT_NE(absolute.source.find("/shop.db?table=t"), std::string::npos);
  EXPECT_EQ(absolute.destination[0], '/');

  options.source = "gen:rows=5";
  options.destination = "-";
  absolute = WithAbsolutePaths(options);
  EXPECT_EQ(absolute.source, "gen:rows=5");
  EXPECT_EQ(absolute.destination, "-");
}

}  // namespace
}  // namespace sluice
