// MemoryGovernor: a memory budget that buffers are reserved from before they
// are allocated.
//
// A reservation that would pass the limit waits for other holders to release
// memory (backpressure). Waiters are served in arrival order, so a large
// request is never starved by a stream of small ones. If the wait passes the
// grace period, the circuit breaker trips: reserve() throws sluice::Error of
// kind kMemoryLimit, naming the limit, the request and the setting to change.
//
// A governor may have a parent (for example one budget for a whole server
// and one per export); a reservation then counts against both. Exports that
// share a parent could each hold memory while waiting for more, so before a
// thread waits on the parent it runs the relief set for it (see set_relief).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace sluice {

class MemoryGovernor;

// Memory held from a governor until the reservation is destroyed or released.
class MemoryReservation {
 public:
  MemoryReservation() = default;
  MemoryReservation(MemoryReservation&& other) noexcept;
  MemoryReservation& operator=(MemoryReservation&& other) noexcept;
  ~MemoryReservation() { release(); }

  // Changes the reserved amount; growing may wait or throw like reserve(),
  // and fails at once when `bytes` alone exceeds the limit.
  void resize(uint64_t bytes);
  // Grows or shrinks without waiting, like try_reserve(). Returns false and
  // keeps the current amount when growing finds no room. Like resize(), it
  // does nothing on a reservation that has no governor.
  bool try_resize(uint64_t bytes);
  void release();
  uint64_t bytes() const { return bytes_; }

 private:
  friend class MemoryGovernor;
  MemoryReservation(MemoryGovernor* governor, uint64_t bytes, std::string purpose)
      : governor_(governor), bytes_(bytes), purpose_(std::move(purpose)) {}

  MemoryGovernor* governor_ = nullptr;
  uint64_t bytes_ = 0;
  std::string purpose_;
};

class MemoryGovernor {
 public:
  // `setting` names the option users change to raise the limit, for messages.
  MemoryGovernor(uint64_t limit_bytes, std::chrono::milliseconds grace_period,
                 std::string setting = "--memory-limit", MemoryGovernor* parent = nullptr);

  MemoryGovernor(const MemoryGovernor&) = delete;
  MemoryGovernor& operator=(const MemoryGovernor&) = delete;

  // Reserves `bytes` for `purpose` (such as "Parquet row group"), waiting up
  // to the grace period for room. Throws Error(kMemoryLimit) when the
  // circuit breaker trips, and at once when `bytes` alone exceeds the limit.
  // When the purpose ends with the setting that sizes the buffer, as in
  // "cloud upload part buffer (--cloud-part-size)", that message suggests
  // lowering the setting.
  MemoryReservation reserve(uint64_t bytes, const std::string& purpose);

  // Reserves without waiting; returns an empty reservation when there is no
  // room, so a writer can adapt (flush earlier, upload fewer parts at once).
  MemoryReservation try_reserve(uint64_t bytes, const std::string& purpose);

  // Sets `relief`, which frees memory the calling thread can give up (a
  // Parquet writer flushes its open row group), in place of any earlier one.
  // A reservation of this governor that finds no room in the parent runs it
  // once, on this thread, before it waits. Without a parent it never runs, so
  // an export alone keeps its deterministic output.
  void set_relief(const void* owner, std::function<void()> relief);
  // Removes the relief if `owner` set the current one.
  void clear_relief(const void* owner);

  uint64_t limit() const { return limit_; }
  uint64_t reserved() const;
  uint64_t peak_reserved() const;
  // Reservations waiting for room now.
  size_t waiting() const;

 private:
  friend class MemoryReservation;

  // Takes `bytes` more for a reservation whose new size is `total` bytes.
  void acquire(uint64_t bytes, const std::string& purpose, bool wait, uint64_t total);
  // The same, waiting at most `grace` for room.
  void acquire(uint64_t bytes, const std::string& purpose, bool wait, uint64_t total,
               std::chrono::milliseconds grace);
  void release(uint64_t bytes, const std::string& purpose);
  void release_local(uint64_t bytes, const std::string& purpose);  // this governor only, not the parent
  // For the thread that set the relief: takes `bytes` from the parent without
  // waiting and returns true, or else runs the relief and returns false.
  bool take_from_parent_or_relieve(uint64_t bytes, const std::string& purpose, uint64_t total);
  // The three purposes holding the most, such as "input batch 2.0MB, ...".
  std::string largest_holders_locked() const;

  const uint64_t limit_;
  const std::chrono::milliseconds grace_period_;
  const std::string setting_;
  MemoryGovernor* const parent_;

  mutable std::mutex mutex_;
  std::condition_variable released_;
  uint64_t reserved_ = 0;
  uint64_t peak_reserved_ = 0;
  uint64_t next_ticket_ = 0;
  std::deque<uint64_t> queue_;  // tickets of waiting reservations, oldest first
  std::map<std::string, uint64_t> held_by_purpose_;
  std::function<void()> relief_;
  const void* relief_owner_ = nullptr;
  std::thread::id relief_thread_;
};

}  // namespace sluice
