// ReleaseFreedMemory from threads: the first call of a process must not
// leave glibc's arena bookkeeping broken when several threads make it at once.
#include "core/process_memory.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

namespace sluice {
namespace {

// In a child process, `threads` threads spin until all are ready and then
// call ReleaseFreedMemory together; returns the child's wait status.
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

TEST(ProcessMemory, FirstReleaseFromManyThreadsAtOnce) {
  // The race this guards against (see process_memory.cc) is narrow, so the
  // child is started many times; each one must exit normally.
  for (int round = 0; round < 200; ++round) {
    int status = FirstReleaseFromThreads(4);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "round " << round << ", wait status " << status;
  }
}

TEST(ProcessMemory, RssIsMeasured) {
  uint64_t current = CurrentRssBytes();
  EXPECT_GT(current, 0u);
  EXPECT_GE(PeakRssBytes(), current);  // the peak is read after the current size
}

}  // namespace
}  // namespace sluice
