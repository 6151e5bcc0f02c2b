#include "sinks/background_sink.h"

#include <algorithm>
#include <cstring>

namespace sluice {

BackgroundSink::BackgroundSink(std::unique_ptr<ByteSink> inner)
    : inner_(std::move(inner)),
      filling_(std::make_unique<char[]>(kBufferBytes)),
      passing_(std::make_unique<char[]>(kBufferBytes)) {}

BackgroundSink::~BackgroundSink() { stop(); }

void BackgroundSink::write(std::string_view data) {
  accepted_ += data.size();
  while (!data.empty()) {
    size_t take = std::min(kBufferBytes - buffered_, data.size());
    std::memcpy(filling_.get() + buffered_, data.data(), take);
    buffered_ += take;
    data.remove_prefix(take);
    if (buffered_ == kBufferBytes) submit();
  }
}

void BackgroundSink::drain() {
  if (buffered_ > 0) submit();
  wait_idle();
}

void BackgroundSink::commit() {
  drain();
  stop();
  inner_->commit();
}

void BackgroundSink::abort() noexcept {
  stop();
  buffered_ = 0;
  inner_->abort();
}

void BackgroundSink::wait() noexcept {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pending_; });
}

// Hands the filled buffer to the worker once it has passed on the previous
// one. Rethrows the worker's failure instead.
void BackgroundSink::submit() {
  wait_idle();
  {
    std::lock_guard lock(mutex_);
    std::swap(filling_, passing_);
    pending_ = true;
    pending_bytes_ = buffered_;
  }
  buffered_ = 0;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { run(); });
  } else {
    changed_.notify_all();
  }
}

// The failure stays recorded, so commit() after a failed write throws too.
void BackgroundSink::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pending_; });
  if (error_) std::rethrow_exception(error_);
}

// Waits for the buffer the worker is passing on, drops one not yet started,
// and ends the worker.
void BackgroundSink::stop() noexcept {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
  pending_ = false;
}

void BackgroundSink::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return pending_ || stopping_; });
    if (stopping_) return;
    size_t length = pending_bytes_;
    lock.unlock();
    std::exception_ptr failure;
    try {
      inner_->write(std::string_view(passing_.get(), length));
      if (after_each_buffer_) after_each_buffer_();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure && !error_) error_ = failure;
    pending_ = false;
    changed_.notify_all();
  }
}

}  // namespace sluice
