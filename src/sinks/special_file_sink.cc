#include "sinks/special_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "sinks/file_sink.h"

namespace sluice {

bool IsSpecialFile(const std::string& path) {
  struct stat info;
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return false;
  return !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode);
}

SpecialFileSink::SpecialFileSink(std::string path) : path_(std::move(path)) {
  // No O_CREAT or O_TRUNC: the node already exists and is written in place.
  do {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0) throw IOError(WriteErrorMessage(path_, errno));
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
