// Exports on several threads sharing one parent memory budget that is
// smaller than the sum of their own limits.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "sluice/memory_governor.h"
#include "sluice/sluice.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class SharedMemoryBudgetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-shared-memory-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ExportOptions Options(const std::string& name, uint64_t rows, MemoryGovernor& parent) const {
    ExportOptions options;
    options.source = "gen:rows=" + std::to_string(rows);
    options.destination = (dir_ / name).string();
    options.chunk_bytes = 256 * kKiB;
    options.memory_limit = 8 * kMiB;
    options.memory_grace_ms = 20000;
    options.shared_memory = &parent;
    return options;
  }

  fs::path dir_;
};

struct Outcome {
  std::optional<ExportResult> result;
  std::optional<ErrorKind> error;
  std::string message;
  Clock::time_point finished;
};

void RunOnThread(const ExportOptions& options, Outcome& outcome) {
  try {
    outcome.result = RunExport(options);
  } catch (const Error& error) {
    outcome.error = error.kind();
    outcome.message = error.what();
  }
  outcome.finished = Clock::now();
}

TEST_F(SharedMemoryBudgetTest, SmallExportsNotStarved) {
  // Four exports with 8 MiB each share 8 MiB.
  MemoryGovernor parent(8 * kMiB, 20s, "shared budget");
  std::vector<ExportOptions> options = {Options("large.parquet", 400000, parent),
                                        Options("small1.parquet", 20000, parent),
                                        Options("small2.parquet", 20000, parent),
                                        Options("small3.parquet", 20000, parent)};
  std::vector<Outcome> outcomes(options.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < options.size(); ++i) {
    threads.emplace_back(RunOnThread, std::cref(options[i]), std::ref(outcomes[i]));
  }
  for (std::thread& thread : threads) thread.join();

  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].result.has_value()) << options[i].destination << ": " << outcomes[i].message;
    EXPECT_GT(outcomes[i].result->peak_reserved_bytes, 0u) << options[i].destination;
    EXPECT_LE(outcomes[i].result->peak_reserved_bytes, 8 * kMiB) << options[i].destination;
  }
  EXPECT_EQ(outcomes[0].result->records_exported, 400000u);
  for (size_t i = 1; i < outcomes.size(); ++i) {
    EXPECT_EQ(outcomes[i].result->records_exported, 20000u);
    EXPECT_LT(outcomes[i].finished, outcomes[0].finished) << options[i].destination;
  }
  EXPECT_EQ(parent.reserved(), 0u);
  EXPECT_LE(parent.peak_reserved(), 8 * kMiB);
}

TEST_F(SharedMemoryBudgetTest, OneTripsWhileOthersComplete) {
  // The zstd level 9 stream needs about 17 MiB for its whole run. That never
  // fits beside the 10 MiB the test reserves, but the Parquet exports adapt.
  MemoryGovernor parent(24 * kMiB, 1s, "the shared budget");
  MemoryReservation held = parent.reserve(10 * kMiB, "another component");
  ExportOptions greedy = Options("greedy.csv.zst", 20000, parent);
  greedy.memory_limit = 64 * kMiB;
  greedy.memory_grace_ms = 200;
  greedy.compression_level = 9;
  std::vector<ExportOptions> options = {greedy, Options("a.parquet", 50000, parent),
                                        Options("b.parquet", 50000, parent)};
  std::vector<Outcome> outcomes(options.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < options.size(); ++i) {
    threads.emplace_back(RunOnThread, std::cref(options[i]), std::ref(outcomes[i]));
  }
  for (std::thread& thread : threads) thread.join();

  ASSERT_TRUE(outcomes[0].error.has_value());
  EXPECT_EQ(*outcomes[0].error, ErrorKind::kMemoryLimit);
  EXPECT_NE(outcomes[0].message.find("the shared budget"), std::string::npos) << outcomes[0].message;
  EXPECT_FALSE(fs::exists(greedy.destination));
  for (size_t i = 1; i < outcomes.size(); ++i) {
    ASSERT_TRUE(outcomes[i].result.has_value()) << options[i].destination << ": " << outcomes[i].message;
    EXPECT_EQ(outcomes[i].result->records_exported, 50000u);
  }
  held.release();
  EXPECT_EQ(parent.reserved(), 0u);
}

}  // namespace
}  // namespace sluice
