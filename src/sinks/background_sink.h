// BackgroundSink: runs the sinks below it on a worker thread. Writes gather
// in a 256 KiB buffer. A full buffer goes to the worker, which passes it to
// the inner sink (compression, encryption, the digest and the file) while
// the caller fills the other one. On two cores the format
// writer then no longer waits for AES-GCM, zstd or SHA-256.
//
// The inner sink sees the same bytes in the same 256 KiB pieces whatever the
// caller's write sizes, so its output does not depend on them. drain() hands
// over a partial buffer, so pieces end at the caller's drain points too: keep
// those deterministic (checkpoints are).
//
// An exception thrown by the inner sink on the worker is rethrown by the next
// write(), drain() or commit(). At most two buffers are held: small, so
// exports that share a tight memory budget are not slowed by it, and large
// enough that handing one over costs nothing next to processing it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "sinks/byte_sink.h"

namespace sluice {

class BackgroundSink final : public ByteSink {
 public:
  static constexpr size_t kBufferBytes = 256 << 10;

  explicit BackgroundSink(std::unique_ptr<ByteSink> inner);
  ~BackgroundSink() override;
  BackgroundSink(const BackgroundSink&) = delete;
  BackgroundSink& operator=(const BackgroundSink&) = delete;

  void write(std::string_view data) override;

  // Passes everything written so far to the inner sink and waits until the
  // worker is idle. Until the next write(), the caller may then use the inner
  // sinks directly (read their state, end a compression frame, fsync).
  void drain();

  // Waits until the worker is idle, without handing over a partial buffer
  // or reporting a failure: for settings changed from the caller's thread.
  void wait() noexcept;

  // Drains, then commits the inner sink on the caller's thread.
  void commit() override;

  // Stops the worker, dropping buffered bytes, and aborts the inner sink.
  void abort() noexcept override;

  // Bytes accepted by write(), whether or not the worker has passed them on.
  uint64_t bytes_written() const override { return accepted_; }

  // Runs `hook` on the worker after each buffer it passes on, so the caller
  // can publish a figure of the inner sinks without draining.
  void set_after_each_buffer(std::function<void()> hook) { after_each_buffer_ = std::move(hook); }

 private:
  void submit();
  void wait_idle();
  void stop() noexcept;
  void run();

  std::unique_ptr<ByteSink> inner_;
  std::unique_ptr<char[]> filling_;
  std::unique_ptr<char[]> passing_;
  size_t buffered_ = 0;
  uint64_t accepted_ = 0;
  std::function<void()> after_each_buffer_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread thread_;        // started by the first submitted buffer
  bool pending_ = false;      // passing_ contains bytes for the worker
  size_t pending_bytes_ = 0;
  std::exception_ptr error_;  // what the inner sink threw on the worker
  bool stopping_ = false;
};

}  // namespace sluice
