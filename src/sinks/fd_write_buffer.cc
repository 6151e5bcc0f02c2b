#include "sinks/fd_write_buffer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sluice {

namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr size_t kWriteCallBytes = 64 << 10;  // see the header

// Writes all of `data`, at most kWriteCallBytes per call. Returns 0 or errno.
int WriteFully(int fd, const char* data, size_t length) {
  while (length > 0) {
    ssize_t written = ::write(fd, data, std::min(length, kWriteCallBytes));
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    length -= static_cast<size_t>(written);
  }
  return 0;
}

}  // namespace

FdWriteBuffer::FdWriteBuffer()
    : filling_(std::make_unique<char[]>(kBufferBytes)), writing_(std::make_unique<char[]>(kBufferBytes)) {}

FdWriteBuffer::~FdWriteBuffer() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

int FdWriteBuffer::append(int fd, std::string_view data) {
  if (synchronous_) return append_synchronously(fd, data);
  while (!data.empty()) {
    size_t room = kBufferBytes - buffered_;
    size_t take = std::min(room, data.size());
    std::memcpy(filling_.get() + buffered_, data.data(), take);
    buffered_ += take;
    data.remove_prefix(take);
    if (buffered_ == kBufferBytes) {
      if (int error = wait_idle(); error != 0) {
        buffered_ = 0;
        return error;
      }
      submit(fd);
    }
  }
  return 0;
}

// Gathers small writes into one call's worth and writes larger ones in place.
int FdWriteBuffer::append_synchronously(int fd, std::string_view data) {
  while (!data.empty()) {
    if (buffered_ == 0 && data.size() >= kWriteCallBytes) {
      size_t length = data.size() - data.size() % kWriteCallBytes;
      if (int error = WriteFully(fd, data.data(), length); error != 0) return error;
      data.remove_prefix(length);
      continue;
    }
    size_t take = std::min(kWriteCallBytes - buffered_, data.size());
    std::memcpy(filling_.get() + buffered_, data.data(), take);
    buffered_ += take;
    data.remove_prefix(take);
    if (buffered_ == kWriteCallBytes) {
      int error = WriteFully(fd, filling_.get(), buffered_);
      buffered_ = 0;
      if (error != 0) return error;
    }
  }
  return 0;
}

int FdWriteBuffer::flush(int fd) {
  int error = wait_idle();
  if (error == 0 && buffered_ > 0) error = WriteFully(fd, filling_.get(), buffered_);
  buffered_ = 0;
  return error;
}

void FdWriteBuffer::discard() {
  wait_idle();
  buffered_ = 0;
}

// REQUIRES: the background writer is idle.
void FdWriteBuffer::submit(int fd) {
  {
    std::lock_guard lock(mutex_);
    std::swap(filling_, writing_);
    pending_ = true;
    pending_bytes_ = buffered_;
    pending_fd_ = fd;
  }
  buffered_ = 0;
  if (!thread_.joinable()) {
    thread_ = std::thread([this] { run(); });
  } else {
    changed_.notify_all();
  }
}

// Waits for the background write in progress; returns and clears the errno
// of any failed background write.
int FdWriteBuffer::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !pending_; });
  int error = error_;
  error_ = 0;
  return error;
}

void FdWriteBuffer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return pending_ || stopping_; });
    if (!pending_) return;
    const char* data = writing_.get();
    size_t length = pending_bytes_;
    int fd = pending_fd_;
    lock.unlock();
    int error = WriteFully(fd, data, length);
    lock.lock();
    if (error != 0 && error_ == 0) error_ = error;
    pending_ = false;
    changed_.notify_all();
  }
}

}  // namespace sluice
