#include "sinks/fd_write_buffer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice {

namespace {

constexpr size_t kBufferBytes = 1 << 20;

// Writes all of `data`. Returns 0 or errno.
int WriteFully(int fd, const char* data, size_t length) {
  while (length > 0) {
    ssize_t written = ::write(fd, data, length);
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

FdWriteBuffer::FdWriteBuffer() : buffer_(std::make_unique<char[]>(kBufferBytes)) {}

int FdWriteBuffer::append(int fd, std::string_view data) {
  if (buffered_ + data.size() <= kBufferBytes) {
    std::memcpy(buffer_.get() + buffered_, data.data(), data.size());
    buffered_ += data.size();
    return 0;
  }

  // Large writes skip the buffer once it is drained, saving a copy.
  if (int error = flush(fd); error != 0) return error;
  if (data.size() >= kBufferBytes) return WriteFully(fd, data.data(), data.size());
  std::memcpy(buffer_.get(), data.data(), data.size());
  buffered_ = data.size();
  return 0;
}

int FdWriteBuffer::flush(int fd) {
  int error = WriteFully(fd, buffer_.get(), buffered_);
  buffered_ = 0;
  return error;
}

}  // namespace sluice
