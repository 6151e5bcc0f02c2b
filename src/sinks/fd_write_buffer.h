// FdWriteBuffer: the write buffer shared by the sinks that write to a file
// descriptor. Small writes gather in a 1 MiB buffer. A full buffer goes to a
// background thread that writes it while the caller fills a second one.
// The kernel's copy into the page cache, a sixth of a Parquet export's CPU
// time in one profile (bench/NOTES.md), then overlaps encoding.
//
// Buffers reach the kernel in write(2) calls of 64 KiB. On the benchmark
// machine, a 1 GB export spent 2.1 s of system time in 1 MiB calls. In
// 64 KiB calls it spent 0.6 to 0.9 s (bench/NOTES.md), most likely because
// a 64 KiB source stays in the CPU cache during the kernel's copy.
//
// With set_synchronous(true) there is no background thread: for a caller
// that already runs on a thread of its own (BackgroundSink).
//
// Short writes and EINTR are retried. A failed background write is reported
// by the next append() or flush(). At most 2 MiB are held: the buffer being
// filled and the one being written.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

namespace sluice {

class FdWriteBuffer {
 public:
  static constexpr size_t kBufferBytes = 1 << 20;
  // Bytes accepted by append() that may not have reached the kernel yet.
  static constexpr size_t kMaxBufferedBytes = 2 * kBufferBytes;

  FdWriteBuffer();
  ~FdWriteBuffer();
  FdWriteBuffer(const FdWriteBuffer&) = delete;
  FdWriteBuffer& operator=(const FdWriteBuffer&) = delete;

  // Buffers `data`, handing full buffers to the background writer. Returns
  // 0, or the errno of a failed write (this one's or an earlier one's); the
  // buffer is then empty.
  int append(int fd, std::string_view data);

  // Writes everything buffered to `fd` and waits until it is written.
  // Returns 0 or the errno of the failure.
  int flush(int fd);

  // Drops the buffered bytes without writing them, after waiting for a write
  // in progress, so the caller may close the descriptor afterwards.
  void discard();

  // Writes on the caller's thread from now on. Call before the first append().
  void set_synchronous(bool synchronous) { synchronous_ = synchronous; }

 private:
  int append_synchronously(int fd, std::string_view data);
  void submit(int fd);
  int wait_idle();
  void run();

  std::unique_ptr<char[]> filling_;
  std::unique_ptr<char[]> writing_;
  size_t buffered_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;       // started by the first full buffer
  bool pending_ = false;     // writing_ contains bytes for the thread
  size_t pending_bytes_ = 0;
  int pending_fd_ = -1;
  int error_ = 0;            // errno of a failed background write
  bool stopping_ = false;
  bool synchronous_ = false;
};

}  // namespace sluice
