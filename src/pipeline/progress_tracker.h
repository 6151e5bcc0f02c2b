// ProgressTracker: turns counters into ExportProgress snapshots and decides
// when one is worth publishing.
//
// Snapshots are published at most every `interval` (200 ms by default), so a
// progress callback costs nothing measurable however small the chunks are.
// Thread-compatible: one exporting thread calls update().
#pragma once

#include <chrono>
#include <cstdint>

#include "sluice/sluice.h"
#include "sources/source.h"

namespace sluice {

class ProgressTracker {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressTracker(std::string export_id, uint64_t chunk_bytes,
                  Clock::duration interval = std::chrono::milliseconds(200));

  // Records that one more chunk was written. Returns true when a snapshot is
  // due; snapshot() then holds it.
  bool update(const SourceProgress& source, uint64_t records_exported, uint64_t bytes_written);

  // Marks the export complete: 100 percent, totals equal to the counts.
  void finish(uint64_t records_exported, uint64_t bytes_written);

  const ExportProgress& snapshot() const { return snapshot_; }

 private:
  void compute(const SourceProgress& source, uint64_t records_exported, uint64_t bytes_written,
               Clock::time_point now);

  ExportProgress snapshot_;
  uint64_t chunk_bytes_;
  Clock::duration interval_;
  Clock::time_point started_;
  Clock::time_point last_published_;
  bool published_any_ = false;
  double smoothed_rate_ = 0;      // fraction of the export completed per second
  double last_fraction_ = 0;
  Clock::time_point last_sample_;
};

}  // namespace sluice
