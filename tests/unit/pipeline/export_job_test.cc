// End-to-end tests of RunExport through the library's public header.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "pipeline/manifest.h"
#include "sluice/sluice.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class ExportJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-export-job-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Listing() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::string Read(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }

  fs::path dir_;
};

TEST_F(ExportJobTest, WritesOneFileWithoutManifest) {
  ExportOptions options;
  options.source = "gen:rows=1000";
  options.destination = dir_ / "out.csv";
  ExportResult result = RunExport(options);

  EXPECT_EQ(result.records_exported, 1000u);
  ASSERT_EQ(result.files.size(), 1u);
  EXPECT_EQ(result.files[0].path, options.destination);
  EXPECT_EQ(result.files[0].bytes, fs::file_size(options.destination));
  EXPECT_EQ(result.files[0].sha256.size(), 64u);
  EXPECT_TRUE(result.manifest_path.empty());
  EXPECT_EQ(Listing(), std::vector<std::string>{"out.csv"});
}

TEST_F(ExportJobTest, SameInputGivesIdenticalBytes) {
  ExportOptions options;
  options.source = "gen:rows=3000";
  options.destination = dir_ / "a.ndjson";
  RunExport(options);
  options.destination = dir_ / "b.ndjson";
  RunExport(options);
  EXPECT_EQ(Read(dir_ / "a.ndjson"), Read(dir_ / "b.ndjson"));
}

TEST_F(ExportJobTest, SplitsIntoPartsWithManifest) {
  ExportOptions options;
  options.source = "gen:rows=20000";
  options.destination = dir_ / "out.csv";
  options.chunk_bytes = 8 * kKiB;
  options.max_file_bytes = 256 * kKiB;
  ExportResult result = RunExport(options);

  ASSERT_GT(result.files.size(), 1u);
  EXPECT_FALSE(fs::exists(options.destination));
  nlohmann::json manifest = nlohmann::json::parse(Read(result.manifest_path));
  EXPECT_EQ(manifest["totalRows"], 20000);
  ASSERT_EQ(manifest["parts"].size(), result.files.size());

  uint64_t rows = 0;
  for (size_t i = 0; i < result.files.size(); ++i) {
    const OutputFile& part = result.files[i];
    EXPECT_EQ(part.path, PartPath(options.destination, i + 1));
    EXPECT_LE(fs::file_size(part.path), options.max_file_bytes) << part.path;
    EXPECT_EQ(manifest["parts"][i]["bytes"], fs::file_size(part.path));
    EXPECT_EQ(manifest["parts"][i]["sha256"], part.sha256);
    // Every part is a complete CSV file with its own header.
    EXPECT_EQ(Read(part.path).rfind("id,flag,", 0), 0u) << part.path;
    rows += part.rows;
  }
  EXPECT_EQ(rows, 20000u);
}

TEST_F(ExportJobTest, CancelledExportLeavesNothing) {
  ExportOptions options;
  options.source = "gen:rows=100000";
  options.destination = dir_ / "out.csv";
  options.chunk_bytes = 8 * kKiB;
  CancellationToken cancel;
  int calls = 0;
  ProgressCallback cancel_midway = [&](const ExportProgress&) {
    if (++calls == 1) cancel.cancel();
  };
  try {
    RunExport(options, cancel_midway, &cancel);
    FAIL() << "expected cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kCancelled);
  }
  EXPECT_TRUE(Listing().empty());
}

TEST_F(ExportJobTest, CancelStopsWaitForFifoReader) {
  std::string fifo = (dir_ / "out.csv").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ExportOptions options;
  options.source = "gen:rows=10";
  options.destination = fifo;
  CancellationToken cancel;
  cancel.cancel();

  // If the token did not reach the FIFO's sink, its open would wait for a
  // reader forever. This watchdog opens one after 10 seconds, which turns
  // that hang into a failed test, and opens nothing when the export ends first.
  std::mutex mutex;
  std::condition_variable export_ended;
  bool ended = false;
  int watchdog_reader = -1;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    if (!export_ended.wait_for(lock, std::chrono::seconds(10), [&] { return ended; })) {
      watchdog_reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    }
  });

  try {
    RunExport(options, {}, &cancel);
    ADD_FAILURE() << "expected a cancellation";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kCancelled) << error.what();
    EXPECT_NE(std::string(error.what()).find("waiting for a reader of the FIFO " + fifo), std::string::npos)
        << error.what();
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    ended = true;
  }
  export_ended.notify_one();
  watchdog.join();
  EXPECT_EQ(watchdog_reader, -1) << "the export waited for a reader although its token was cancelled";
  if (watchdog_reader >= 0) ::close(watchdog_reader);
}

TEST_F(ExportJobTest, InvalidOptionsRejectedBeforeWriting) {
  ExportOptions options;
  options.source = "gen:rows=10";
  options.destination = dir_ / "out.csv";
  options.chunk_bytes = 1024;
  EXPECT_THROW(RunExport(options), Error);
  options.chunk_bytes = 1 * kMiB;
  options.format = "xml";
  EXPECT_THROW(RunExport(options), Error);
  options.format = "";
  options.destination = dir_ / "out.unknown";
  EXPECT_THROW(RunExport(options), Error);
  EXPECT_TRUE(Listing().empty());
}

TEST_F(ExportJobTest, ProgressEndsAtHundredPercent) {
  ExportOptions options;
  options.source = "gen:rows=5000";
  options.destination = dir_ / "out.json";
  ExportProgress last;
  RunExport(options, [&](const ExportProgress& progress) { last = progress; });
  EXPECT_DOUBLE_EQ(last.percent_complete, 100.0);
  EXPECT_EQ(last.records_exported, 5000u);
  EXPECT_EQ(last.total_records, 5000u);
  EXPECT_GT(last.bytes_written, 0u);
}

TEST(PartPath, NumberGoesBeforeExtensions) {
  EXPECT_EQ(PartPath("/d/out.csv", 1), "/d/out.part-00001.csv");
  EXPECT_EQ(PartPath("/d/out.csv.gz", 12), "/d/out.part-00012.csv.gz");
  EXPECT_EQ(PartPath("/d.x/out", 2), "/d.x/out.part-00002");
  EXPECT_EQ(PartPath("my.data.ndjson.zst", 3), "my.data.part-00003.ndjson.zst");
}

}  // namespace
}  // namespace sluice
