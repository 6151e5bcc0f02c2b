#include "sinks/stdout_sink.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace sluice {

namespace {

[[noreturn]] void ThrowWriteError(int error_number) {
  std::string fix = error_number == EPIPE ? "the reading program closed the pipe early"
                    : error_number == ENOSPC
                        ? "free space or choose another destination"
                        : "check where standard output goes or write to a file";
  throw IOError(std::string("cannot write to standard output: ") + std::strerror(error_number) +
                "; " + fix);
}

}  // namespace

StdoutSink::StdoutSink(int fd) : fd_(fd) {}

void StdoutSink::write(std::string_view data) {
  if (!open_) throw Error(ErrorKind::kInternal, "stdout sink used after commit or abort");
  bytes_written_ += data.size();
  if (int error = buffer_.append(fd_, data); error != 0) {
    open_ = false;
    ThrowWriteError(error);
  }
}

void StdoutSink::flush_buffer() {
  if (int error = buffer_.flush(fd_); error != 0) {
    open_ = false;
    ThrowWriteError(error);
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
  buffer_.discard();
}

}  // namespace sluice
