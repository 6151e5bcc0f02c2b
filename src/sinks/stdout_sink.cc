#include "sinks/stdout_sink.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace sluice {

namespace {

constexpr size_t kBufferBytes = 1 << 20;

[[noreturn]] void ThrowWriteError(int error_number) {
  std::string fix = error_number == EPIPE ? "the reading program closed the pipe early"
                    : error_number == ENOSPC
                        ? "free space or choose another destination"
                        : "check where standard output goes or write to a file";
  throw IOError(std::string("cannot write to standard output: ") + std::strerror(error_number) +
                "; " + fix);
}

}  // namespace

StdoutSink::StdoutSink(int fd) : fd_(fd), buffer_(std::make_unique<char[]>(kBufferBytes)) {}

void StdoutSink::write(std::string_view data) {
  if (!open_) throw Error(ErrorKind::kInternal, "stdout sink used after commit or abort");
  bytes_written_ += data.size();

  if (buffered_ + data.size() <= kBufferBytes) {
    std::memcpy(buffer_.get() + buffered_, data.data(), data.size());
    buffered_ += data.size();
    return;
  }
  flush_buffer();
  if (data.size() >= kBufferBytes) {
    write_fully(data.data(), data.size());
  } else {
    std::memcpy(buffer_.get(), data.data(), data.size());
    buffered_ = data.size();
  }
}

void StdoutSink::flush_buffer() {
  write_fully(buffer_.get(), buffered_);
  buffered_ = 0;
}

void StdoutSink::write_fully(const char* data, size_t length) {
  while (length > 0) {
    ssize_t written = ::write(fd_, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      int error_number = errno;
      open_ = false;
      buffered_ = 0;
      ThrowWriteError(error_number);
    }
    data += written;
    length -= static_cast<size_t>(written);
  }
}

void StdoutSink::commit() {
  if (!open_) throw Error(ErrorKind::kInternal, "stdout sink used after commit or abort");
  flush_buffer();
  open_ = false;

  struct stat info;
  if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode) && ::fsync(fd_) != 0) {
    ThrowWriteError(errno);
  }
}

void StdoutSink::abort() noexcept {
  open_ = false;
  buffered_ = 0;
}

}  // namespace sluice
