// ParquetSource::position() and seek(): a fresh source seeked to a position
// taken between batches yields the same rows as the original from there on,
// and a position that does not fit the file's footer is rejected.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sluice/error.h"
#include "sluice/sluice.h"
#include "sources/parquet_source.h"
#include "source_rows.h"

namespace sluice {
namespace {

// Files written by DuckDB, each with one row group of 1000 rows.
const std::string kSnappyFile = std::string(SLUICE_TEST_DATA_DIR) + "/parquet/duckdb_v1_snappy.parquet";
const std::string kZstdFile = std::string(SLUICE_TEST_DATA_DIR) + "/parquet/duckdb_v2_zstd.parquet";

std::string GroupedPath() {
  return (std::filesystem::temp_directory_path() /
          ("sluice-parquet-position-" + std::to_string(::getpid()) + ".parquet")).string();
}

// Returns a file of 1000 generated rows in row groups of 300, 300, 300 and
// 100 rows, written once per test process and removed at exit.
const std::string& GroupedFile() {
  static const std::string path = [] {
    ExportOptions options;
    options.source = "gen:rows=1000&seed=4";
    options.destination = GroupedPath();
    options.parquet.row_group_rows = 300;
    RunExport(options);
    // The handler computes the path again because `path` may already be
    // destroyed when it runs.
    std::atexit([] { std::filesystem::remove(GroupedPath()); });
    return options.destination;
  }();
  return path;
}

// A test parameter: a file name, or "grouped" for GroupedFile().
std::string PathOf(const std::string& name) { return name == "grouped" ? GroupedFile() : name; }

struct Reading {
  std::vector<std::string> positions;             // before each batch
  std::vector<std::vector<std::string>> batches;  // each batch's rows as text
  std::string end_position;
};

Reading ReadAll(Source& source) {
  Reading reading;
  Batch batch(source.schema());
  while (true) {
    std::string position = source.position();
    if (!source.next_batch(batch)) {
      reading.end_position = position;
      break;
    }
    reading.positions.push_back(position);
    std::vector<std::string> rows;
    for (size_t row = 0; row < batch.num_rows(); ++row) {
      std::string text;
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) text += '|';
        text += testing::CellText(batch.column(c), row);
      }
      rows.push_back(text);
    }
    reading.batches.push_back(std::move(rows));
  }
  return reading;
}

ExportOptions SmallChunks() {
  ExportOptions options;
  options.chunk_bytes = 1024;  // tens of rows per batch, so positions fall inside row groups
  return options;
}

class ParquetSourcePositionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ParquetSourcePositionTest, SeekReplaysEveryPosition) {
  const std::string path = PathOf(GetParam());
  ParquetSource original(path, SmallChunks());
  Reading full = ReadAll(original);
  ASSERT_GT(full.batches.size(), 6u) << "the file should span several batches";

  for (size_t start = 0; start < full.batches.size(); ++start) {
    ParquetSource resumed(path, SmallChunks());
    resumed.seek(full.positions[start]);
    EXPECT_EQ(resumed.position(), full.positions[start]);
    Reading rest = ReadAll(resumed);
    ASSERT_EQ(rest.batches.size(), full.batches.size() - start) << "seeked to " << full.positions[start];
    for (size_t i = 0; i < rest.batches.size(); ++i) {
      EXPECT_EQ(rest.batches[i], full.batches[start + i]) << "batch " << start + i;
      EXPECT_EQ(rest.positions[i], full.positions[start + i]);
    }
    EXPECT_EQ(resumed.progress().rows_read, 1000u);
  }
}

INSTANTIATE_TEST_SUITE_P(Files, ParquetSourcePositionTest, ::testing::Values(kSnappyFile, kZstdFile, "grouped"));

TEST(ParquetSourcePosition, CrossesRowGroups) {
  ParquetSource source(GroupedFile(), SmallChunks());
  Reading full = ReadAll(source);
  auto has_position = [&](const std::string& position) {
    return std::find(full.positions.begin(), full.positions.end(), position) != full.positions.end();
  };
  EXPECT_EQ(full.positions.front(), "row_group=0;group_rows=0;rows=0");
  EXPECT_TRUE(has_position("row_group=1;group_rows=0;rows=300"));
  EXPECT_TRUE(has_position("row_group=2;group_rows=0;rows=600"));
  EXPECT_TRUE(has_position("row_group=3;group_rows=0;rows=900"));
  EXPECT_EQ(full.end_position, "row_group=4;group_rows=0;rows=1000");
}

TEST(ParquetSourcePosition, ProgressCountsSkippedGroups) {
  ParquetSource original(GroupedFile(), SmallChunks());
  Batch batch(original.schema());
  while (original.position() != "row_group=2;group_rows=0;rows=600") ASSERT_TRUE(original.next_batch(batch));
  ASSERT_TRUE(original.next_batch(batch));
  SourceProgress expected = original.progress();

  ParquetSource resumed(GroupedFile(), SmallChunks());
  resumed.seek("row_group=2;group_rows=0;rows=600");
  ASSERT_TRUE(resumed.next_batch(batch));
  SourceProgress actual = resumed.progress();
  EXPECT_EQ(actual.rows_read, expected.rows_read);
  // The original's count also includes the bytes read ahead of every page
  // header, which the compressed sizes of the skipped groups leave out.
  EXPECT_LE(actual.bytes_read, expected.bytes_read);
  EXPECT_GE(actual.bytes_read, expected.bytes_read / 2);
}

TEST(ParquetSourcePosition, SeekToEndYieldsNoRows) {
  ParquetSource source(GroupedFile(), SmallChunks());
  source.seek("row_group=4;group_rows=0;rows=1000");
  Batch batch(source.schema());
  EXPECT_FALSE(source.next_batch(batch));
  EXPECT_EQ(batch.num_rows(), 0u);
}

TEST(ParquetSourceSeek, RejectsPositionsOutsideFooter) {
  const std::vector<std::string> invalid = {
      "row_group=5;group_rows=0;rows=1000",   // past the end position
      "row_group=4;group_rows=1;rows=1001",   // a row of the group after the last
      "row_group=1;group_rows=300;rows=600",  // as many rows as the group has
      "row_group=1;group_rows=10;rows=10",    // rows does not match the groups before
      "row_group=0;group_rows=0",             // rows missing
      "row_group=x;group_rows=0;rows=0",      // not a number
  };
  for (const std::string& position : invalid) {
    ParquetSource source(GroupedFile(), SmallChunks());
    try {
      source.seek(position);
      ADD_FAILURE() << "accepted " << position;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << position;
    }
  }
}

TEST(ParquetSourceSeek, MessageNamesFileAndGroup) {
  ParquetSource source(GroupedFile(), SmallChunks());
  try {
    source.seek("row_group=9;group_rows=0;rows=0");
    FAIL() << "seek past the last row group was accepted";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(GroupedFile()), std::string::npos) << message;
    EXPECT_NE(message.find("only 4 row groups"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace sluice
