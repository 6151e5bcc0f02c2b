#include "sluice/memory_governor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/error.h"

namespace sluice {
namespace {

using std::chrono::milliseconds;

TEST(MemoryGovernor, ReservesAndReleases) {
  MemoryGovernor governor(1000, milliseconds(10));
  {
    MemoryReservation a = governor.reserve(600, "batch");
    EXPECT_EQ(governor.reserved(), 600u);
    a.resize(200);
    EXPECT_EQ(governor.reserved(), 200u);
  }
  EXPECT_EQ(governor.reserved(), 0u);
  EXPECT_EQ(governor.peak_reserved(), 600u);
}

TEST(MemoryGovernor, OversizedRequestTripsAtOnce) {
  MemoryGovernor governor(1000, std::chrono::hours(1));
  try {
    governor.reserve(2000, "Parquet row group");
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(message.find("Parquet row group"), std::string::npos) << message;
    EXPECT_NE(message.find("--memory-limit"), std::string::npos) << message;
  }
}

TEST(MemoryGovernor, BreakerTripsAfterGracePeriod) {
  MemoryGovernor governor(1000, milliseconds(20));
  MemoryReservation held = governor.reserve(900, "batch");
  try {
    governor.reserve(200, "upload part");
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(message.find("upload part"), std::string::npos) << message;
    EXPECT_NE(message.find("resumed"), std::string::npos) << message;
  }
  EXPECT_EQ(governor.reserved(), 900u);
}

TEST(MemoryGovernor, BreakerMessageNamesHolders) {
  MemoryGovernor governor(1000, milliseconds(20));
  MemoryReservation batch = governor.reserve(600, "input batch");
  MemoryReservation group = governor.reserve(300, "Parquet row group");
  try {
    governor.reserve(200, "upload part");
    FAIL() << "expected the circuit breaker";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("(input batch 600B, Parquet row group 300B)"), std::string::npos) << message;
  }
}

TEST(MemoryGovernor, WaiterProceedsWhenMemoryIsReleased) {
  MemoryGovernor governor(1000, std::chrono::seconds(30));
  MemoryReservation held = governor.reserve(900, "batch");
  std::atomic<bool> granted{false};
  std::thread waiter([&] {
    MemoryReservation second = governor.reserve(500, "batch");
    granted = true;
  });
  held.release();
  waiter.join();
  EXPECT_TRUE(granted);
}

TEST(MemoryGovernor, TryReserveDoesNotWait) {
  MemoryGovernor governor(1000, std::chrono::hours(1));
  MemoryReservation held = governor.reserve(900, "batch");
  MemoryReservation denied = governor.try_reserve(200, "row group");
  EXPECT_EQ(denied.bytes(), 0u);
  MemoryReservation granted = governor.try_reserve(100, "row group");
  EXPECT_EQ(granted.bytes(), 100u);
}

TEST(MemoryGovernor, TryResizeGrowsOnlyWithRoom) {
  MemoryGovernor governor(1000, std::chrono::hours(1));
  MemoryReservation held = governor.reserve(600, "batch");
  MemoryReservation growing = governor.reserve(100, "row group");
  EXPECT_TRUE(growing.try_resize(400));
  EXPECT_EQ(growing.bytes(), 400u);
  EXPECT_FALSE(growing.try_resize(500));
  EXPECT_EQ(growing.bytes(), 400u);
  EXPECT_EQ(governor.reserved(), 1000u);
  EXPECT_TRUE(growing.try_resize(50));
  EXPECT_EQ(governor.reserved(), 650u);
  MemoryReservation empty;
  EXPECT_TRUE(empty.try_resize(10));
  EXPECT_EQ(empty.bytes(), 0u);
}

TEST(MemoryGovernor, ParentCountsChildReservations) {
  MemoryGovernor server(1000, milliseconds(10), "server memory limit");
  MemoryGovernor first(800, milliseconds(10), "--memory-limit", &server);
  MemoryGovernor second(800, milliseconds(10), "--memory-limit", &server);
  MemoryReservation a = first.reserve(600, "batch");
  EXPECT_EQ(server.reserved(), 600u);
  EXPECT_THROW(second.reserve(600, "batch"), Error);
  EXPECT_EQ(second.reserved(), 0u);
  EXPECT_EQ(server.reserved(), 600u);
}

TEST(MemoryGovernor, WaitersServedInArrivalOrder) {
  // A large request that arrived first is not overtaken by later small ones.
  MemoryGovernor governor(1000, std::chrono::seconds(30));
  MemoryReservation held = governor.reserve(600, "batch");
  std::atomic<int> order{0};
  int large_position = -1;
  int small_position = -1;
  std::thread large([&] {
    MemoryReservation r = governor.reserve(900, "large");
    large_position = order++;
  });
  while (governor.waiting() < 1) std::this_thread::yield();
  std::thread small([&] {
    MemoryReservation r = governor.reserve(300, "small");
    small_position = order++;
  });
  while (governor.waiting() < 2) std::this_thread::yield();
  held.release();
  large.join();
  small.join();
  EXPECT_EQ(large_position, 0);
  EXPECT_EQ(small_position, 1);
}

TEST(MemoryGovernor, ChildWaitsInParentForItsOwnGrace) {
  // The parent allows an hour; the export allows 50 ms. If the export waited
  // in the parent's queue for the parent's grace, every export behind it
  // would wait that long too.
  MemoryGovernor server(1000, std::chrono::hours(1), "the shared budget");
  MemoryGovernor impatient(1000, milliseconds(50), "--memory-limit", &server);
  MemoryReservation held = server.reserve(600, "another export");
  try {
    impatient.reserve(600, "batch");
    FAIL() << "expected the breaker to trip";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("within 50 ms"), std::string::npos) << error.what();
  }
  EXPECT_EQ(impatient.reserved(), 0u);
  EXPECT_EQ(server.reserved(), 600u);
}

TEST(MemoryGovernor, ReliefRunsBeforeWaitingOnParent) {
  // Two exports share 1000 bytes. The first reserves a row group and then
  // needs an input batch while the second reserves the rest. Without the
  // relief both would wait until the breaker trips.
  MemoryGovernor server(1000, std::chrono::hours(1), "the shared budget");
  MemoryGovernor first(1000, milliseconds(200), "--memory-limit", &server);
  MemoryGovernor second(1000, milliseconds(200), "--memory-limit", &server);
  MemoryReservation row_group = first.reserve(600, "row group");
  MemoryReservation other = second.reserve(400, "another export");
  int reliefs = 0;
  first.set_relief(&row_group, [&] {
    ++reliefs;
    row_group.release();
  });

  MemoryReservation batch = first.reserve(300, "input batch");
  EXPECT_EQ(reliefs, 1);
  EXPECT_EQ(server.reserved(), 700u);
  first.clear_relief(&row_group);
}

TEST(MemoryGovernor, ReliefSkippedWhenParentHasRoom) {
  MemoryGovernor server(1000, std::chrono::hours(1), "the shared budget");
  MemoryGovernor child(1000, milliseconds(200), "--memory-limit", &server);
  int reliefs = 0;
  child.set_relief(&reliefs, [&] { ++reliefs; });
  MemoryReservation batch = child.reserve(900, "input batch");
  EXPECT_EQ(reliefs, 0);
}

TEST(MemoryGovernor, ReliefOnlyOnItsThread) {
  MemoryGovernor server(1000, std::chrono::hours(1), "the shared budget");
  MemoryGovernor child(1000, milliseconds(20), "--memory-limit", &server);
  MemoryReservation held = server.reserve(900, "another export");
  std::atomic<int> reliefs{0};
  child.set_relief(&reliefs, [&] { ++reliefs; });
  std::thread other([&] { EXPECT_THROW(child.reserve(200, "upload part"), Error); });
  other.join();
  EXPECT_EQ(reliefs.load(), 0);
}

TEST(MemoryGovernor, ReliefNotRunWithoutParent) {
  MemoryGovernor governor(1000, milliseconds(20));
  MemoryReservation held = governor.reserve(900, "batch");
  int reliefs = 0;
  governor.set_relief(&reliefs, [&] { ++reliefs; });
  EXPECT_THROW(governor.reserve(200, "upload part"), Error);
  EXPECT_EQ(reliefs, 0);
}

TEST(MemoryGovernor, ClearReliefKeepsNewerOwner) {
  MemoryGovernor server(100, std::chrono::hours(1), "the shared budget");
  MemoryGovernor child(100, milliseconds(20), "--memory-limit", &server);
  MemoryReservation held = server.reserve(100, "another export");
  int old_owner = 0;
  int reliefs = 0;
  child.set_relief(&reliefs, [&] { ++reliefs; });
  child.clear_relief(&old_owner);  // an earlier writer going away after the new one started
  EXPECT_THROW(child.reserve(10, "batch"), Error);
  EXPECT_EQ(reliefs, 1);
}

}  // namespace
}  // namespace sluice
