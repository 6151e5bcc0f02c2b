#include "pipeline/batch_prefetcher.h"

#include <algorithm>
#include <utility>

namespace sluice {

namespace {

constexpr const char* kReservationPurpose = "input batch";

}  // namespace

BatchPrefetcher::BatchPrefetcher(Source& source, MemoryGovernor& memory, bool record_positions,
                                 size_t depth)
    : source_(source), memory_(memory), record_positions_(record_positions), depth_(std::max<size_t>(depth, 1)) {
  // One slot for the batch being written plus `depth` being read or queued.
  size_t slot_count = depth_ + 1;
  for (size_t i = 0; i < slot_count; ++i) {
    slots_.push_back(std::make_unique<PrefetchedBatch>());
    slots_.back()->batch.reset(source.schema());
    free_.push_back(slots_.back().get());
  }
  reader_ = std::thread([this] { read_all(); });
}

BatchPrefetcher::~BatchPrefetcher() { stop(); }

void BatchPrefetcher::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  reader_wake_.notify_all();
  if (reader_.joinable()) reader_.join();
}

const PrefetchedBatch* BatchPrefetcher::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (current_ != nullptr) {
    current_->reservation.release();
    free_.push_back(current_);
    current_ = nullptr;
  }

  writer_waiting_ = true;
  writer_wake_.wait(lock, [this] { return !ready_.empty() || finished_; });
  writer_waiting_ = false;
  if (ready_.empty()) {
    lock.unlock();
    if (reader_.joinable()) reader_.join();
    if (error_) std::rethrow_exception(error_);
    return nullptr;
  }
  current_ = ready_.front();
  ready_.pop_front();
  // Wake the reader only once the queue is empty, so it refills every slot
  // in one go. A wake-up per batch costs a context switch each, and on a busy
  // machine the woken reader can preempt this thread. An empty queue also
  // releases a batch held back for memory.
  bool wake_reader = reader_waiting_ && ready_.empty();
  lock.unlock();
  if (wake_reader) reader_wake_.notify_one();

  // The reader found no room for this batch. Reserving here waits for the
  // writer's own buffers to shrink, or fails the export like any reservation.
  if (current_->unreserved_bytes != 0) {
    current_->reservation = memory_.reserve(current_->unreserved_bytes, kReservationPurpose);
    current_->unreserved_bytes = 0;
    std::lock_guard<std::mutex> relock(mutex_);
    writer_must_reserve_ = false;
  }
  return current_;
}

void BatchPrefetcher::read_all() {
  try {
    std::string position = record_positions_ ? source_.position() : std::string();
    while (read_one(position)) {
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
  }
  writer_wake_.notify_one();
}

// Reads one batch into a free slot and queues it. `position` is the Source's
// position before the batch on entry and after it on return. Returns false
// at the end of the data or when the caller is stopping.
bool BatchPrefetcher::read_one(std::string& position) {
  PrefetchedBatch* slot;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (free_.empty()) {
      reader_waiting_ = true;
      reader_wake_.wait(lock, [this] { return free_.size() >= depth_ || stopping_; });
      reader_waiting_ = false;
    }
    if (stopping_) return false;
    slot = free_.back();
    free_.pop_back();
  }

  // The slot is the reader's alone until it is queued, so no lock is held
  // while the Source works.
  if (!source_.next_batch(slot->batch)) return false;
  if (record_positions_) {
    slot->position_before = std::move(position);
    slot->position_after = source_.position();
    position = slot->position_after;
  }
  slot->progress = source_.progress();
  // While an earlier batch waits for next() to reserve it, this one must not
  // take the memory that batch needs. Otherwise the writer would wait for
  // memory that only a later batch can release.
  uint64_t bytes = slot->batch.byte_size();
  bool earlier_unreserved;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    earlier_unreserved = writer_must_reserve_;
  }
  if (!earlier_unreserved) slot->reservation = memory_.try_reserve(bytes, kReservationPurpose);
  slot->unreserved_bytes = slot->reservation.bytes() == bytes ? 0 : bytes;

  std::unique_lock<std::mutex> lock(mutex_);
  if (slot->unreserved_bytes != 0) {
    // Without room the reader reads no further ahead. It queues the batch
    // once the writer has taken every earlier one, and next() reserves for it.
    reader_waiting_ = true;
    reader_wake_.wait(lock, [this] { return ready_.empty() || stopping_; });
    reader_waiting_ = false;
    if (stopping_) return false;
    writer_must_reserve_ = true;
  }
  ready_.push_back(slot);
  bool wake_writer = writer_waiting_;
  lock.unlock();
  if (wake_writer) writer_wake_.notify_one();
  return true;
}

}  // namespace sluice
