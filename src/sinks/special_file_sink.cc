#include "sinks/special_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "sinks/file_sink.h"

namespace sluice {

bool IsSpecialFile(const std::string& path) {
  struct stat info;
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return false;
  return !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode);
}

namespace {

// How often a FIFO open without a reader is retried. It bounds how long a
// cancellation takes to stop the wait.
constexpr std::chrono::milliseconds kFifoPollInterval{20};

bool IsFifo(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
}

}  // namespace

SpecialFileSink::SpecialFileSink(std::string path, const CancellationToken* cancel) : path_(std::move(path)) {
  if (cancel != nullptr && IsFifo(path_)) {
    open_fifo_when_read(*cancel);
    return;
  }

  // No O_CREAT or O_TRUNC: the node already exists and is written in place.
  do {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0) throw IOError(WriteErrorMessage(path_, errno));
}

// A blocking open(2) of a FIFO waits for a reader, and the kernel restarts
// it after a signal handler installed with SA_RESTART returns (glibc's
// signal() sets that flag), so it would never see a cancellation.
// With O_NONBLOCK the open fails with ENXIO while there is no reader, and
// the loop retries it, checking `cancel` in between.
void SpecialFileSink::open_fifo_when_read(const CancellationToken& cancel) {
  for (;;) {
    if (cancel.cancelled()) {
      throw Error(ErrorKind::kCancelled, "export cancelled while waiting for a reader of the FIFO " + path_ +
                                             "; nothing was written");
    }
    fd_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd_ >= 0) break;
    if (errno != ENXIO && errno != EINTR) throw IOError(WriteErrorMessage(path_, errno));
    std::this_thread::sleep_for(kFifoPollInterval);
  }

  // FdWriteBuffer treats EAGAIN as an error, so writes must block while the
  // pipe is full.
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) < 0) {
    int error_number = errno;
    close_descriptor();
    throw IOError(WriteErrorMessage(path_, error_number));
  }
}

SpecialFileSink::~SpecialFileSink() { close_descriptor(); }

void SpecialFileSink::close_descriptor() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void SpecialFileSink::fail(int error_number) {
  close_descriptor();
  buffer_.discard();
  throw IOError(WriteErrorMessage(path_, error_number));
}

void SpecialFileSink::write(std::string_view data) {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "special file sink used after commit or abort");
  bytes_written_ += data.size();
  if (int error = buffer_.append(fd_, data); error != 0) fail(error);
}

void SpecialFileSink::commit() {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "special file sink used after commit or abort");
  if (int error = buffer_.flush(fd_); error != 0) fail(error);
  if (::close(fd_) != 0) {
    int error_number = errno;
    fd_ = -1;
    throw IOError(WriteErrorMessage(path_, error_number));
  }
  fd_ = -1;
}

void SpecialFileSink::abort() noexcept {
  buffer_.discard();
  close_descriptor();
}

}  // namespace sluice
