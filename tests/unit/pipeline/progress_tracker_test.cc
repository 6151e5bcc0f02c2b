#include "pipeline/progress_tracker.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

using std::chrono::milliseconds;

TEST(ProgressTracker, FileSourceUsesBytesForPercent) {
  ProgressTracker tracker("e1", 1000, milliseconds(0));
  SourceProgress source;
  source.bytes_read = 2500;
  source.total_bytes = 10000;
  source.rows_read = 50;

  ASSERT_TRUE(tracker.update(source, 50, 3000));
  const ExportProgress& progress = tracker.snapshot();
  EXPECT_EQ(progress.export_id, "e1");
  EXPECT_DOUBLE_EQ(progress.percent_complete, 25.0);
  EXPECT_EQ(progress.records_exported, 50u);
  EXPECT_EQ(progress.total_records, 200u);
  EXPECT_FALSE(progress.total_records_exact);
  EXPECT_EQ(progress.current_chunk, 1u);
  EXPECT_EQ(progress.total_chunks, 10u);
  EXPECT_EQ(progress.bytes_written, 3000u);
}

TEST(ProgressTracker, ExactRowCountIsKept) {
  ProgressTracker tracker("e2", 1000, milliseconds(0));
  SourceProgress source;
  source.total_rows = 400;
  source.total_rows_exact = true;

  ASSERT_TRUE(tracker.update(source, 100, 0));
  EXPECT_EQ(tracker.snapshot().total_records, 400u);
  EXPECT_TRUE(tracker.snapshot().total_records_exact);
  EXPECT_DOUBLE_EQ(tracker.snapshot().percent_complete, 25.0);
}

TEST(ProgressTracker, RateLimitsSnapshots) {
  ProgressTracker tracker("e3", 1000, std::chrono::hours(1));
  SourceProgress source;
  EXPECT_TRUE(tracker.update(source, 1, 0));
  EXPECT_FALSE(tracker.update(source, 2, 0));
  EXPECT_FALSE(tracker.update(source, 3, 0));
}

TEST(ProgressTracker, FinishReportsComplete) {
  ProgressTracker tracker("e4", 1000, milliseconds(0));
  SourceProgress source;
  tracker.update(source, 10, 100);
  tracker.finish(12, 120);
  EXPECT_DOUBLE_EQ(tracker.snapshot().percent_complete, 100.0);
  EXPECT_EQ(tracker.snapshot().total_records, 12u);
  EXPECT_EQ(tracker.snapshot().estimated_seconds_remaining, 0.0);
}

}  // namespace
}  // namespace sluice
