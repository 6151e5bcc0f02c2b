// Tests for the process memory helpers: RSS readings, and ReleaseFreedMemory
// called for the first time from several threads at once.
#include "core/process_memory.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

namespace sluice {
namespace {

// Forks a child in which `threads` threads call ReleaseFreedMemory together,
// and returns the child's wait status.
int FirstReleaseFromThreads(int threads) {
  pid_t child = ::fork();
  if (child == 0) {
    std::atomic<int> ready{0};
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      pool.emplace_back([&] {
        ready.fetch_add(1);
        while (ready.load() < threads) {
        }
        ReleaseFreedMemory();
      });
    }
    for (auto& thread : pool) thread.join();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return status;
}

TEST(ProcessMemory, ConcurrentFirstRelease) {
  // The race in process_memory.cc is narrow, so the child runs many times.
  for (int round = 0; round < 200; ++round) {
    int status = FirstReleaseFromThreads(4);
    ASSERT_TRUE(WIFEXITED(status)) << "round " << round << ", wait status " << status;
    ASSERT_EQ(WEXITSTATUS(status), 0) << "round " << round;
  }
}

TEST(ProcessMemory, RssReadings) {
  uint64_t current = CurrentRssBytes();
  EXPECT_GT(current, 0u);
  EXPECT_GE(PeakRssBytes(), current);  // the peak is read after the current size
}

}  // namespace
}  // namespace sluice
