// Where a split export ends its parts: every part stays at or under
// --max-file-size for each format, and the parts together hold every row.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "formats/writer_factory.h"
#include "pipeline/resume.h"
#include "sources/source_factory.h"
#include "sluice/sluice.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

namespace fs = std::filesystem;

class SplitOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-split-output-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the export and checks that each part is at most `limit` bytes and
  // that the manifest lists every part with rows adding up to `rows`.
  void ExpectPartsWithinLimit(ExportOptions options, uint64_t rows, size_t min_parts) {
    uint64_t limit = options.max_file_bytes;
    ExportResult result = RunExport(options);
    ASSERT_GE(result.files.size(), min_parts) << options.destination;
    EXPECT_EQ(result.records_exported, rows);

    uint64_t row_sum = 0;
    for (const OutputFile& file : result.files) {
      EXPECT_LE(fs::file_size(file.path), limit) << file.path;
      EXPECT_EQ(fs::file_size(file.path), file.bytes) << file.path;
      EXPECT_GT(file.rows, 0u) << file.path;
      row_sum += file.rows;
    }
    EXPECT_EQ(row_sum, rows);

    std::ifstream manifest_file(result.manifest_path);
    ASSERT_TRUE(manifest_file.good()) << result.manifest_path;
    nlohmann::json manifest = nlohmann::json::parse(manifest_file);
    EXPECT_EQ(manifest.at("parts").size(), result.files.size());
  }

  fs::path dir_;
};

TEST_F(SplitOutputTest, EveryFormatStaysWithinLimit) {
  for (const char* extension : {"csv", "json", "ndjson", "parquet", "xlsx", "avro", "csv.gz", "csv.zst"}) {
    ExportOptions options;
    options.source = "gen:rows=6000";
    options.destination = dir_ / (std::string("out.") + extension);
    options.chunk_bytes = 64 * kKiB;
    options.max_file_bytes = 200 * kKiB;
    SCOPED_TRACE(extension);
    ExpectPartsWithinLimit(options, 6000, 2);
  }
}

TEST_F(SplitOutputTest, PartsFillMostOfLimit) {
  // The parts before the last one end close to the limit, not at a
  // conservative fraction of it.
  for (const char* extension : {"csv", "parquet", "xlsx"}) {
    ExportOptions options;
    options.source = "gen:rows=8000";
    options.destination = dir_ / (std::string("fill.") + extension);
    options.chunk_bytes = 64 * kKiB;
    options.max_file_bytes = 256 * kKiB;
    ExportResult result = RunExport(options);
    ASSERT_GE(result.files.size(), 3u) << extension;
    for (size_t i = 0; i + 1 < result.files.size(); ++i) {
      EXPECT_GE(result.files[i].bytes, options.max_file_bytes * 7 / 10) << result.files[i].path;
    }
  }
}

TEST_F(SplitOutputTest, TextWiderThanMemoryStaysWithinLimit) {
  // Booleans take a byte in memory but about 40 bytes each in JSON under
  // these long column names, so the in-memory size underestimates the output.
  fs::path input = dir_ / "flags_input.csv";
  {
    std::ofstream csv(input);
    for (int column = 0; column < 24; ++column) {
      csv << (column > 0 ? "," : "") << "feature_flag_with_a_long_descriptive_name_" << column;
    }
    csv << "\n";
    for (int row = 0; row < 2000; ++row) {
      for (int column = 0; column < 24; ++column) csv << (column > 0 ? "," : "") << ((row + column) % 3 == 0 ? "true" : "false");
      csv << "\n";
    }
  }
  for (const char* extension : {"json", "ndjson", "csv"}) {
    ExportOptions options;
    options.source = input;
    options.destination = dir_ / (std::string("flags.") + extension);
    options.chunk_bytes = 64 * kKiB;
    options.max_file_bytes = 64 * kKiB;
    SCOPED_TRACE(extension);
    ExpectPartsWithinLimit(options, 2000, 2);
  }
}

TEST_F(SplitOutputTest, RowLargerThanLimitGetsOwnPart) {
  // A part contains at least one row, so a row larger than the limit is the
  // one case where a text part passes it.
  fs::path input = dir_ / "wide.csv";
  {
    std::ofstream csv(input);
    csv << "id,text\n1," << std::string(40 * 1024, 'x') << "\n2,short\n3,short\n";
  }
  ExportOptions options;
  options.source = input;
  options.destination = dir_ / "wide.ndjson";
  options.chunk_bytes = 8 * kKiB;
  options.max_file_bytes = 8 * kKiB;
  ExportResult result = RunExport(options);
  ASSERT_EQ(result.files.size(), 2u);
  EXPECT_EQ(result.files[0].rows, 1u);
  EXPECT_GT(result.files[0].bytes, options.max_file_bytes);
  EXPECT_EQ(result.files[1].rows, 2u);
  EXPECT_LE(result.files[1].bytes, options.max_file_bytes);
}

TEST_F(SplitOutputTest, ResumedParquetPartsIdentical) {
  // A resume must end parts where the interrupted run would have, so the
  // split decision's state (the early row-group flush, the empty part's
  // size) comes back from the checkpoint.
  ExportOptions options;
  options.source = "gen:rows=40000&seed=5";
  options.destination = dir_ / "out.parquet";
  options.chunk_bytes = 16 * kKiB;
  options.checkpoint_bytes = 64 * kKiB;
  options.max_file_bytes = 256 * kKiB;
  options.state_dir = dir_ / "state";
  options.export_id = "e1";

  pid_t child = ::fork();
  if (child == 0) {
    try {
      RunExport(options, [](const ExportProgress& progress) {
        if (progress.bytes_written > 700 * kKiB) ::raise(SIGKILL);
      });
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFSIGNALED(status)) GTEST_SKIP() << "the export finished before it could be killed";

  ResumeRequest request;
  request.export_id = "e1";
  request.state_dir = options.state_dir;
  ExportResult resumed = ResumeExport(request).result;

  ExportOptions reference = options;
  reference.destination = dir_ / "ref.parquet";
  reference.state_dir.clear();
  ExportResult expected = RunExport(reference);
  ASSERT_GE(expected.files.size(), 3u);
  ASSERT_EQ(resumed.files.size(), expected.files.size());
  for (size_t i = 0; i < expected.files.size(); ++i) {
    EXPECT_EQ(resumed.files[i].rows, expected.files[i].rows) << "part " << i + 1;
    EXPECT_EQ(resumed.files[i].sha256, expected.files[i].sha256) << "part " << i + 1;
    EXPECT_LE(resumed.files[i].bytes, options.max_file_bytes) << "part " << i + 1;
  }
}

// Writes generated rows with `format` and returns the writer's
// pending_output_bytes() before finish() and the file's size after it.
std::pair<uint64_t, uint64_t> EstimateAndSize(const std::string& format, ExportOptions options) {
  options.source = "gen:rows=20000&seed=3";
  options.chunk_bytes = 64 * kKiB;
  std::unique_ptr<Source> source = OpenSource(options);
  const Schema& schema = source->schema();
  std::unique_ptr<FormatWriter> writer = MakeFormatWriter(format, options);
  StringSink sink;
  writer->begin(schema, sink);
  Batch batch(schema);
  while (source->next_batch(batch)) writer->write_batch(batch);
  uint64_t estimate = sink.bytes().size() + writer->pending_output_bytes();
  writer->finish();
  return {estimate, sink.bytes().size()};
}

TEST(PendingOutputBytes, ParquetUncompressedIsUpperBound) {
  ExportOptions options;
  options.parquet.codec = "none";
  auto [estimate, size] = EstimateAndSize("parquet", options);
  EXPECT_GE(estimate, size);
  EXPECT_LE(estimate, size + size / 10);
}

TEST(PendingOutputBytes, ParquetFlushLeavesFooterOnly) {
  ExportOptions options;
  options.source = "gen:rows=5000";
  std::unique_ptr<Source> source = OpenSource(options);
  std::unique_ptr<FormatWriter> writer = MakeFormatWriter("parquet", options);
  StringSink sink;
  writer->begin(source->schema(), sink);
  Batch batch(source->schema());
  ASSERT_TRUE(source->next_batch(batch));
  writer->write_batch(batch);
  EXPECT_TRUE(writer->flush_buffered());
  EXPECT_FALSE(writer->flush_buffered());
  uint64_t estimate = sink.bytes().size() + writer->pending_output_bytes();
  writer->finish();
  // Only the footer was pending, and it is estimated with a little slack.
  EXPECT_GE(estimate, sink.bytes().size());
  EXPECT_LE(estimate, sink.bytes().size() + 64);
}

TEST(PendingOutputBytes, XlsxEstimateNearFileSize) {
  auto [estimate, size] = EstimateAndSize("xlsx", ExportOptions());
  EXPECT_GE(static_cast<double>(estimate), static_cast<double>(size) * 0.97);
  EXPECT_LE(static_cast<double>(estimate), static_cast<double>(size) * 1.10);
}

TEST(PendingOutputBytes, XlsxEstimateWithManySheets) {
  ExportOptions options;
  options.xlsx_write.max_rows = 1000;  // 20 sheets for the 20000 rows
  auto [estimate, size] = EstimateAndSize("xlsx", options);
  EXPECT_GE(static_cast<double>(estimate), static_cast<double>(size) * 0.97);
  EXPECT_LE(static_cast<double>(estimate), static_cast<double>(size) * 1.10);
}

TEST(PendingOutputBytes, TextWritersHoldNothing) {
  for (const char* format : {"csv", "json", "ndjson"}) {
    auto [estimate, size] = EstimateAndSize(format, ExportOptions());
    EXPECT_LE(estimate, size) << format;
    EXPECT_GE(estimate + 16, size) << format;  // the trailer (a closing bracket)
  }
}

}  // namespace
}  // namespace sluice
