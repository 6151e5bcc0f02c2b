#include "sinks/fd_write_buffer.h"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sluice {

namespace {

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

// Writes `head`, then `data`, without copying either: the calls take both
// through writev(2). Calls are kWriteCallBytes long, except the last one,
// which takes what is left when that is under two calls' worth. Returns 0 or
// errno.
int WriteGathered(int fd, std::string_view head, std::string_view data) {
  while (!head.empty() || !data.empty()) {
    size_t left = head.size() + data.size();
    size_t length = left < 2 * kWriteCallBytes ? left : kWriteCallBytes;
    size_t from_head = std::min(length, head.size());
    iovec parts[2];
    int count = 0;
    if (from_head > 0) parts[count++] = {const_cast<char*>(head.data()), from_head};
    if (length > from_head) parts[count++] = {const_cast<char*>(data.data()), length - from_head};
    ssize_t written = ::writev(fd, parts, count);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    size_t done = static_cast<size_t>(written);
    size_t done_head = std::min(done, head.size());
    head.remove_prefix(done_head);
    data.remove_prefix(done - done_head);
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

// Gathers small writes until they make one call's worth. Then the gathered
// bytes and `data` go out together, so `data` is not copied. An encrypted
// export passes 64 KiB segments plus a 16-byte tag, and lining those up into
// 64 KiB calls copied almost every byte of the file.
int FdWriteBuffer::append_synchronously(int fd, std::string_view data) {
  if (buffered_ + data.size() < kWriteCallBytes) {
    std::memcpy(filling_.get() + buffered_, data.data(), data.size());
    buffered_ += data.size();
    return 0;
  }
  std::string_view head(filling_.get(), buffered_);
  buffered_ = 0;
  return WriteGathered(fd, head, data);
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
