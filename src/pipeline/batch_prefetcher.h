// BatchPrefetcher: reads a Source on its own thread, a few batches ahead of
// the thread that writes them, so decoding the input and encoding the output
// run at the same time.
//
// The reader thread owns the Source from construction until destruction, or
// until next() returns null, and the calling thread must not touch it before. Each batch comes with what
// the export loop would otherwise ask the Source for: its position before
// and after the batch, and a progress snapshot taken after it.
//
// Errors: an exception thrown by the Source (sluice::Error keeps its kind and
// message) is rethrown by next() in place of the batch that failed, so every
// batch read before it is handed out first.
//
// Memory: each batch read ahead is held under a reservation of its
// byte_size() from the export's MemoryGovernor, with purpose "input batch".
// The reader never waits on the governor. When there is no room it holds the
// batch back until the writer has taken every earlier one, and next() then
// reserves on the calling thread, which may wait or throw kMemoryLimit like
// any other reservation of the export.
//
// Batches are reused: next() hands the previous batch back to the reader,
// so once the slots' buffers have grown, reading allocates nothing. A reader
// that found every slot full sleeps until the queue is empty and then refills
// every slot, which halves its wake-ups at the default depth.
//
// Thread-safety: one thread calls next() and the destructor.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/batch.h"
#include "sluice/memory_governor.h"
#include "sources/source.h"

namespace sluice {

// One batch and the Source's state around it.
struct PrefetchedBatch {
  Batch batch;
  // Source::position() before and after the batch, or empty when positions
  // are not recorded.
  std::string position_before;
  std::string position_after;
  SourceProgress progress;          // the Source's progress after the batch
  MemoryReservation reservation;    // covers batch.byte_size() while queued or in use
  uint64_t unreserved_bytes = 0;    // bytes next() must still reserve
};

class BatchPrefetcher {
 public:
  // Batches read ahead of the one being written.
  static constexpr size_t kDefaultDepth = 2;

  // Starts the reader thread. With `record_positions`, the reader calls
  // source.position() before the first batch and after each one (it throws
  // for sources that cannot resume, and next() rethrows that).
  // REQUIRES: `source` and `memory` outlive this object. depth >= 1.
  BatchPrefetcher(Source& source, MemoryGovernor& memory, bool record_positions,
                  size_t depth = kDefaultDepth);

  // Stops the reader and joins it. If the reader is inside
  // Source::next_batch(), this waits for that call to return.
  ~BatchPrefetcher();

  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // Hands the batch returned by the previous call back to the reader, then
  // waits for the next one. Returns null at the end of the data, after which
  // the reader has finished and the Source may be used again (for example
  // for skipped_rows()). Rethrows the Source's exception in place of the
  // batch whose read threw it.
  const PrefetchedBatch* next();

 private:
  void read_all();
  bool read_one(std::string& position);
  void stop();

  Source& source_;
  MemoryGovernor& memory_;
  const bool record_positions_;
  const size_t depth_;

  std::vector<std::unique_ptr<PrefetchedBatch>> slots_;
  PrefetchedBatch* current_ = nullptr;  // held by the caller of next()

  std::mutex mutex_;
  std::condition_variable reader_wake_;
  std::condition_variable writer_wake_;
  bool reader_waiting_ = false;           // blocked on reader_wake_
  bool writer_waiting_ = false;           // blocked on writer_wake_
  std::vector<PrefetchedBatch*> free_;    // slots the reader may fill
  std::deque<PrefetchedBatch*> ready_;    // filled slots, in source order
  bool finished_ = false;                 // the reader has queued its last batch
  bool stopping_ = false;                 // the caller is going away
  bool writer_must_reserve_ = false;      // a queued or current batch still lacks its reservation
  std::exception_ptr error_;              // thrown by the Source after the queued batches

  std::thread reader_;  // declared last: it starts once every member above exists
};

}  // namespace sluice
