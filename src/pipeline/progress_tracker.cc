#include "pipeline/progress_tracker.h"

#include <algorithm>

namespace sluice {

namespace {

// Weight of the newest rate sample in the moving average: high enough to
// follow a real change of speed within a few seconds, low enough to keep the
// ETA from jumping at every chunk.
constexpr double kRateSmoothing = 0.3;

}  // namespace

ProgressTracker::ProgressTracker(std::string export_id, uint64_t chunk_bytes,
                                 Clock::duration interval)
    : chunk_bytes_(std::max<uint64_t>(chunk_bytes, 1)), interval_(interval) {
  snapshot_.export_id = std::move(export_id);
  started_ = Clock::now();
  last_sample_ = started_;
}

bool ProgressTracker::update(const SourceProgress& source, uint64_t records_exported,
                             uint64_t bytes_written) {
  ++snapshot_.current_chunk;
  Clock::time_point now = Clock::now();
  if (published_any_ && now - last_published_ < interval_) return false;

  compute(source, records_exported, bytes_written, now);
  last_published_ = now;
  published_any_ = true;
  return true;
}

void ProgressTracker::compute(const SourceProgress& source, uint64_t records_exported,
                              uint64_t bytes_written, Clock::time_point now) {
  snapshot_.records_exported = records_exported;
  snapshot_.bytes_written = bytes_written;

  // The completed fraction comes from bytes when the source is a file (exact
  // even when rows vary in width) and from rows when the row count is known.
  double fraction = 0;
  if (source.total_bytes && *source.total_bytes > 0 && source.bytes_read > 0) {
    fraction = static_cast<double>(source.bytes_read) / static_cast<double>(*source.total_bytes);
  } else if (source.total_rows && *source.total_rows > 0) {
    fraction = static_cast<double>(records_exported) / static_cast<double>(*source.total_rows);
  }
  fraction = std::clamp(fraction, 0.0, 1.0);

  if (source.total_rows && source.total_rows_exact) {
    snapshot_.total_records = *source.total_rows;
    snapshot_.total_records_exact = true;
  } else if (fraction > 0) {
    snapshot_.total_records = static_cast<uint64_t>(static_cast<double>(records_exported) / fraction);
    snapshot_.total_records_exact = false;
  } else if (source.total_rows) {
    snapshot_.total_records = *source.total_rows;
  }
  snapshot_.total_records = std::max(snapshot_.total_records, records_exported);

  if (source.total_bytes && *source.total_bytes > 0) {
    snapshot_.total_chunks = (*source.total_bytes + chunk_bytes_ - 1) / chunk_bytes_;
  } else if (fraction > 0) {
    snapshot_.total_chunks = static_cast<uint64_t>(static_cast<double>(snapshot_.current_chunk) / fraction);
  }
  snapshot_.total_chunks = std::max(snapshot_.total_chunks, snapshot_.current_chunk);
  snapshot_.percent_complete = fraction * 100.0;

  double elapsed = std::chrono::duration<double>(now - last_sample_).count();
  if (elapsed > 0 && fraction > last_fraction_) {
    double rate = (fraction - last_fraction_) / elapsed;
    smoothed_rate_ = smoothed_rate_ == 0 ? rate : kRateSmoothing * rate + (1 - kRateSmoothing) * smoothed_rate_;
    last_fraction_ = fraction;
    last_sample_ = now;
  }
  if (smoothed_rate_ > 0) {
    snapshot_.estimated_seconds_remaining = (1.0 - fraction) / smoothed_rate_;
  }
}

void ProgressTracker::finish(uint64_t records_exported, uint64_t bytes_written) {
  snapshot_.records_exported = records_exported;
  snapshot_.total_records = records_exported;
  snapshot_.total_records_exact = true;
  snapshot_.bytes_written = bytes_written;
  snapshot_.percent_complete = 100.0;
  snapshot_.total_chunks = snapshot_.current_chunk;
  snapshot_.estimated_seconds_remaining = 0.0;
}

}  // namespace sluice
