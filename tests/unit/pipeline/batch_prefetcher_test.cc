#include "pipeline/batch_prefetcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "core/error.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

constexpr size_t kRowsPerBatch = 100;

// Yields `batches` batches of one int64 column whose rows contain their
// global row numbers. position() is "at-N" before batch N. With `fail_at`,
// reading that batch throws.
class CountingSource : public Source {
 public:
  explicit CountingSource(uint64_t batches, std::optional<uint64_t> fail_at = std::nullopt,
                          bool resumable = true)
      : batches_(batches), fail_at_(fail_at), resumable_(resumable) {
    schema_.push_back(Field{"n", DataType{TypeId::kInt64}});
  }

  const Schema& schema() const override { return schema_; }

  bool next_batch(Batch& batch) override {
    calls_.fetch_add(1);
    batch.clear();
    if (fail_at_ && read_ == *fail_at_) {
      throw InvalidInput("invalid value at line 7, column 3: expected an integer");
    }
    if (read_ == batches_) return false;
    for (size_t row = 0; row < kRowsPerBatch; ++row) {
      batch.column(0).append_int64(static_cast<int64_t>(read_ * kRowsPerBatch + row));
    }
    ++read_;
    return true;
  }

  SourceProgress progress() const override {
    SourceProgress progress;
    progress.rows_read = read_ * kRowsPerBatch;
    return progress;
  }

  std::string position() const override {
    if (!resumable_) return Source::position();
    return "at-" + std::to_string(read_);
  }

  uint64_t calls() const { return calls_.load(); }

 private:
  Schema schema_;
  uint64_t batches_;
  std::optional<uint64_t> fail_at_;
  bool resumable_;
  uint64_t read_ = 0;
  std::atomic<uint64_t> calls_{0};
};

// Waits up to a second for `condition`, for checks on the reader thread.
template <typename Condition>
bool Eventually(Condition condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

TEST(BatchPrefetcher, PreservesOrderAndPositions) {
  CountingSource source(50);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, true);

  for (uint64_t index = 0; index < 50; ++index) {
    const PrefetchedBatch* batch = prefetcher.next();
    ASSERT_NE(batch, nullptr) << "batch " << index;
    ASSERT_EQ(batch->batch.num_rows(), kRowsPerBatch);
    EXPECT_EQ(batch->batch.column(0).int64_at(0), static_cast<int64_t>(index * kRowsPerBatch));
    EXPECT_EQ(batch->position_before, "at-" + std::to_string(index));
    EXPECT_EQ(batch->position_after, "at-" + std::to_string(index + 1));
    EXPECT_EQ(batch->progress.rows_read, (index + 1) * kRowsPerBatch);
  }
  EXPECT_EQ(prefetcher.next(), nullptr);
  EXPECT_EQ(prefetcher.next(), nullptr);
}

TEST(BatchPrefetcher, EmptySourceEndsAtOnce) {
  CountingSource source(0);
  MemoryGovernor memory(1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, false);
  EXPECT_EQ(prefetcher.next(), nullptr);
}

TEST(BatchPrefetcher, PositionsEmptyUnlessRecorded) {
  CountingSource source(2, std::nullopt, false);
  MemoryGovernor memory(1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, false);
  const PrefetchedBatch* batch = prefetcher.next();
  ASSERT_NE(batch, nullptr);
  EXPECT_TRUE(batch->position_before.empty());
  EXPECT_TRUE(batch->position_after.empty());
}

TEST(BatchPrefetcher, ErrorArrivesAfterEarlierBatches) {
  CountingSource source(10, 3);
  MemoryGovernor memory(1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, true);

  for (int index = 0; index < 3; ++index) {
    ASSERT_NE(prefetcher.next(), nullptr) << "batch " << index;
  }
  try {
    prefetcher.next();
    FAIL() << "expected the source's error at batch 3";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_STREQ(error.what(), "invalid value at line 7, column 3: expected an integer");
  }
}

TEST(BatchPrefetcher, PositionErrorIsRethrown) {
  CountingSource source(3, std::nullopt, false);
  MemoryGovernor memory(1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, true);
  try {
    prefetcher.next();
    FAIL() << "expected the position error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("cannot resume"), std::string::npos) << error.what();
  }
}

TEST(BatchPrefetcher, ReadsAtMostDepthAhead) {
  CountingSource source(1000);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, false, 2);
  ASSERT_NE(prefetcher.next(), nullptr);

  // The caller has one batch and two are queued, so the reader waits for a
  // free slot without calling the source again.
  ASSERT_TRUE(Eventually([&] { return source.calls() == 3; }));
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(source.calls(), 3u);
}

TEST(BatchPrefetcher, DestroyWhileQueueFullReturns) {
  CountingSource source(1000000);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  auto started = std::chrono::steady_clock::now();
  {
    BatchPrefetcher prefetcher(source, memory, true);
    ASSERT_NE(prefetcher.next(), nullptr);
    ASSERT_TRUE(Eventually([&] { return source.calls() == 3; }));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_EQ(source.calls(), 3u);
}

TEST(BatchPrefetcher, DestroyBeforeFirstBatchReturns) {
  CountingSource source(1000000);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  { BatchPrefetcher prefetcher(source, memory, false); }
  EXPECT_LE(source.calls(), 3u);
}

TEST(BatchPrefetcher, ReservationsCoverQueuedBatches) {
  CountingSource source(100);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  uint64_t batch_bytes = 0;
  {
    BatchPrefetcher prefetcher(source, memory, false, 2);
    const PrefetchedBatch* batch = prefetcher.next();
    ASSERT_NE(batch, nullptr);
    batch_bytes = batch->batch.byte_size();
    EXPECT_EQ(batch->reservation.bytes(), batch_bytes);
    ASSERT_TRUE(Eventually([&] { return memory.reserved() == 3 * batch_bytes; }));
  }
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_EQ(memory.peak_reserved(), 3 * batch_bytes);
}

TEST(BatchPrefetcher, ReservationReleasedAtEnd) {
  CountingSource source(20);
  MemoryGovernor memory(100 * 1024 * 1024, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, false);
  while (prefetcher.next() != nullptr) {
  }
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_GT(memory.peak_reserved(), 0u);
}

TEST(BatchPrefetcher, TightBudgetStopsReadAhead) {
  // A batch of 100 int64 rows takes 900 bytes (8 per value, 1 validity
  // byte), so the budget has room for one batch but never two.
  CountingSource source(20);
  MemoryGovernor memory(1500, milliseconds(2000));
  BatchPrefetcher prefetcher(source, memory, false, 2);

  for (int index = 0; index < 20; ++index) {
    const PrefetchedBatch* batch = prefetcher.next();
    ASSERT_NE(batch, nullptr) << "batch " << index;
    EXPECT_EQ(batch->reservation.bytes(), 900u);
    EXPECT_LE(memory.reserved(), 1500u);
  }
  EXPECT_EQ(prefetcher.next(), nullptr);
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_EQ(memory.peak_reserved(), 900u);
}

TEST(BatchPrefetcher, BatchLargerThanBudgetFails) {
  CountingSource source(5);
  MemoryGovernor memory(500, milliseconds(100));
  BatchPrefetcher prefetcher(source, memory, false);
  try {
    prefetcher.next();
    FAIL() << "expected the memory limit";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("input batch"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace sluice
