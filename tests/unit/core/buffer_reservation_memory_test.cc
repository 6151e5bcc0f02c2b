#include "core/buffer_reservation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/error.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

// Runs `action`, which must trip the breaker, and returns its message.
template <typename Action>
std::string MemoryLimitMessage(Action action) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    return error.what();
  }
  ADD_FAILURE() << "expected a memory-limit error";
  return "";
}

TEST(BufferReservation, SmallBufferIsNotReserved) {
  MemoryGovernor governor(8 * kMiB, milliseconds(10));
  BufferReservation buffer("test buffer");
  buffer.set_governor(&governor, 64 * kKiB);
  buffer.cover(kUnreservedBufferBytes);
  EXPECT_EQ(buffer.reserved_bytes(), 0u);
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(BufferReservation, LargeBufferIsReservedWhole) {
  MemoryGovernor governor(8 * kMiB, milliseconds(10));
  BufferReservation buffer("test buffer");
  buffer.set_governor(&governor, 0);
  buffer.cover(3 * kMiB);
  EXPECT_EQ(buffer.reserved_bytes(), 3 * kMiB);
  EXPECT_EQ(governor.reserved(), 3 * kMiB);

  buffer.cover(5 * kMiB);
  EXPECT_EQ(governor.reserved(), 5 * kMiB);
}

TEST(BufferReservation, ShrinkingReleases) {
  MemoryGovernor governor(8 * kMiB, milliseconds(10));
  BufferReservation buffer("test buffer");
  buffer.set_governor(&governor, 4 * kMiB);
  EXPECT_EQ(governor.reserved(), 4 * kMiB);

  buffer.cover(2 * kMiB);
  EXPECT_EQ(governor.reserved(), 2 * kMiB);
  buffer.cover(512 * kKiB);
  EXPECT_EQ(governor.reserved(), 0u);

  buffer.cover(2 * kMiB);  // grows again after being released
  EXPECT_EQ(governor.reserved(), 2 * kMiB);
  EXPECT_EQ(governor.peak_reserved(), 4 * kMiB);
}

TEST(BufferReservation, DestructionReleases) {
  MemoryGovernor governor(8 * kMiB, milliseconds(10));
  {
    BufferReservation buffer("test buffer");
    buffer.set_governor(&governor, 6 * kMiB);
    EXPECT_EQ(governor.reserved(), 6 * kMiB);
  }
  EXPECT_EQ(governor.reserved(), 0u);
}

TEST(BufferReservation, WithoutGovernorDoesNothing) {
  BufferReservation buffer("test buffer");
  buffer.cover(100 * kMiB);
  EXPECT_EQ(buffer.reserved_bytes(), 0u);
}

TEST(BufferReservation, BufferPastLimitTripsAtOnce) {
  // The grace period is an hour: a growth that alone passes the limit must
  // fail without waiting for it.
  MemoryGovernor governor(8 * kMiB, std::chrono::hours(1));
  BufferReservation buffer("CSV read buffer");
  buffer.set_governor(&governor, 4 * kMiB);

  std::string message = MemoryLimitMessage([&] { buffer.cover(12 * kMiB); });
  EXPECT_EQ(message, "memory limit exceeded: CSV read buffer needs 12MB but --memory-limit is 8MB; "
                     "raise --memory-limit");
  EXPECT_EQ(buffer.reserved_bytes(), 4 * kMiB);
  EXPECT_EQ(governor.reserved(), 4 * kMiB);
}

TEST(BufferReservation, BreakerTripsWhenOthersHoldMemory) {
  MemoryGovernor governor(8 * kMiB, milliseconds(20));
  MemoryReservation batches = governor.reserve(6 * kMiB, "input batch");
  BufferReservation buffer("JSON object buffer");
  buffer.set_governor(&governor, 0);

  std::string message = MemoryLimitMessage([&] { buffer.cover(4 * kMiB); });
  EXPECT_NE(message.find("JSON object buffer needs 4MB more"), std::string::npos) << message;
  EXPECT_NE(message.find("resumed"), std::string::npos) << message;
  EXPECT_EQ(governor.reserved(), 6 * kMiB);
}

TEST(MemoryGovernor, ResizePastLimitTripsAtOnce) {
  MemoryGovernor governor(8 * kMiB, std::chrono::hours(1));
  MemoryReservation reservation = governor.reserve(5 * kMiB, "Parquet row group (--row-group-size)");
  std::string message = MemoryLimitMessage([&] { reservation.resize(10 * kMiB); });
  EXPECT_EQ(message, "memory limit exceeded: Parquet row group (--row-group-size) needs 10MB but "
                     "--memory-limit is 8MB; raise --memory-limit or make that buffer smaller with the "
                     "setting in brackets");
  EXPECT_EQ(reservation.bytes(), 5 * kMiB);
  EXPECT_FALSE(reservation.try_resize(9 * kMiB));
  EXPECT_EQ(governor.reserved(), 5 * kMiB);
}

}  // namespace
}  // namespace sluice
