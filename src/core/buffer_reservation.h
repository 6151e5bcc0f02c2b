// BufferReservation: keeps the memory of one growable buffer (a reader's
// record buffer, a writer's output buffer) reserved from a MemoryGovernor,
// so that a buffer that grows with the input trips the circuit breaker
// before it passes the memory limit.
//
// A buffer of up to kUnreservedBufferBytes is not reserved: that is its
// ordinary size, counted in the process's overhead outside the budget, and
// it keeps the per-record path free of locking. A larger buffer is reserved
// whole. Without a governor every call does nothing.
//
// Not thread-safe: one buffer, one owner.
#pragma once

#include <cstdint>
#include <string>

#include "sluice/memory_governor.h"
#include "sluice/options.h"

namespace sluice {

constexpr uint64_t kUnreservedBufferBytes = 1 * kMiB;

class BufferReservation {
 public:
  // `purpose` names the buffer in memory-limit messages ("CSV read buffer").
  explicit BufferReservation(std::string purpose) : purpose_(std::move(purpose)) {}

  BufferReservation(const BufferReservation&) = delete;
  BufferReservation& operator=(const BufferReservation&) = delete;

  // Reserves from `memory` (null: none) from now on, starting with the
  // buffer's current size of `bytes`. Throws like MemoryGovernor::reserve().
  void set_governor(MemoryGovernor* memory, uint64_t bytes);

  // Makes the reservation cover `bytes` of buffer memory: grows it before
  // the buffer grows, waiting for room or throwing Error(kMemoryLimit) like
  // MemoryGovernor::reserve(), and shrinks it after the buffer shrank. While
  // a buffer is copied to a larger block both blocks are live, so a caller
  // covers old plus new capacity until the old block is freed.
  void cover(uint64_t bytes) {
    if (memory_ == nullptr) return;
    uint64_t wanted = bytes > kUnreservedBufferBytes ? bytes : 0;
    if (wanted != reservation_.bytes()) resize(wanted);
  }

  uint64_t reserved_bytes() const { return reservation_.bytes(); }

 private:
  void resize(uint64_t bytes);

  std::string purpose_;
  MemoryGovernor* memory_ = nullptr;
  MemoryReservation reservation_;
};

}  // namespace sluice
