#include "sinks/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include "core/error.h"

namespace sluice {

namespace {

constexpr int kCreateAttempts = 8;

// Bytes between two starts of the kernel's writeback for the file
// (sync_file_range), so a checkpoint's fsync finds little left to write. Without it, each fsync of a 1 GB CSV export waited about 17 ms for
// the 32 MB written since the last one. With it, the export took 0.93x to
// 0.96x the time (bench/NOTES.md).
constexpr uint64_t kWritebackStepBytes = 8 << 20;

std::string BaseNameOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string RandomHex() {
  std::random_device device;
  uint64_t value = (static_cast<uint64_t>(device()) << 32) | device();
  char text[17];
  for (int i = 15; i >= 0; --i) {
    text[i] = "0123456789abcdef"[value & 0xF];
    value >>= 4;
  }
  text[16] = '\0';
  return text;
}

const char* FixFor(int error_number) {
  switch (error_number) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return "free space or choose another destination";
    case EACCES:
    case EPERM:
      return "check the directory's permissions or choose another destination";
    case EROFS:
      return "the file system is read-only; choose another destination";
    case ENOENT:
    case ENOTDIR:
      return "create the directory or choose another destination";
    default:
      return "check the destination or choose another one";
  }
}

}  // namespace

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string WriteErrorMessage(const std::string& path, int error_number) {
  return "cannot write " + path + ": " + std::strerror(error_number) + "; " +
         FixFor(error_number);
}

FileSink::FileSink(std::string final_path, const std::string& temp_tag) : final_path_(std::move(final_path)) {
  struct stat info;
  if (::stat(final_path_.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    throw IOError("cannot write " + final_path_ +
                  ": it is a directory; give a file name as the destination");
  }

  // O_EXCL makes a name collision fail instead of sharing a file, and the
  // mode 0666 lets the umask decide permissions as for any new file.
  // A tagged name is reused on purpose, so it drops O_EXCL; O_NOFOLLOW
  // keeps a symbolic link planted under that name from redirecting the write.
  std::string prefix = DirectoryOf(final_path_) + "/." + BaseNameOf(final_path_) + ".sluice-tmp-";
  int flags = temp_tag.empty() ? O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC
                               : O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
  int attempts = temp_tag.empty() ? kCreateAttempts : 1;
  for (int attempt = 0; attempt < attempts && fd_ < 0; ++attempt) {
    temp_path_ = prefix + (temp_tag.empty() ? RandomHex() : temp_tag);
    fd_ = ::open(temp_path_.c_str(), flags, 0666);
    if (fd_ < 0 && errno == ENOENT) {
      throw IOError("cannot write " + final_path_ + ": directory " + DirectoryOf(final_path_) +
                    " does not exist; create it or choose another destination");
    }
    if (fd_ < 0 && errno != EEXIST) throw IOError(WriteErrorMessage(final_path_, errno));
  }
  if (fd_ < 0) throw IOError(WriteErrorMessage(final_path_, EEXIST));

}

FileSink::FileSink(std::string final_path, std::string temp_path, uint64_t offset)
    : final_path_(std::move(final_path)), temp_path_(std::move(temp_path)) {
  fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) {
    int error_number = errno;
    temp_path_.clear();  // not ours to delete
    throw IOError("cannot continue " + final_path_ + ": its partial file cannot be opened: " +
                  std::strerror(error_number) + "; start the export again");
  }
  struct stat info;
  if (::fstat(fd_, &info) != 0 || static_cast<uint64_t>(info.st_size) < offset) {
    ::close(fd_);
    fd_ = -1;
    temp_path_.clear();
    throw IOError("cannot continue " + final_path_ + ": its partial file is shorter than the " +
                  std::to_string(offset) + " bytes recorded; start the export again");
  }
  if (::ftruncate(fd_, static_cast<off_t>(offset)) != 0 ||
      ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    fail(errno);
  }
  bytes_written_ = offset;
  durable_bytes_ = offset;
  writeback_from_ = offset;
}

FileSink::~FileSink() {
  if (!committed_) abort();
}

void FileSink::fail(int error_number) {
  std::string message = WriteErrorMessage(error_path_.empty() ? final_path_ : error_path_, error_number);
  abort();
  throw IOError(message);
}

void FileSink::write(std::string_view data) {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "file sink used after commit or abort");
  bytes_written_ += data.size();
  if (int error = buffer_.append(fd_, data); error != 0) fail(error);
  if (bytes_written_ - writeback_from_ >= kWritebackStepBytes) start_writeback();
}

// Starts writeback from writeback_from_ to the end of the file, without
// waiting for it. Bytes still in buffer_ are covered by a later call or by
// fsync. A hint only: a failure (a pipe, a file system without support) is
// ignored, because fsync reports what matters.
void FileSink::start_writeback() {
  ::sync_file_range(fd_, static_cast<off_t>(writeback_from_), 0, SYNC_FILE_RANGE_WRITE);
  writeback_from_ = bytes_written_ - std::min<uint64_t>(bytes_written_, FdWriteBuffer::kMaxBufferedBytes);
}

void FileSink::flush_buffer() {
  if (int error = buffer_.flush(fd_); error != 0) fail(error);
}

uint64_t FileSink::sync() {
  if (fd_ < 0) throw Error(ErrorKind::kInternal, "file sink used after commit or abort");
  flush_buffer();
  if (::fsync(fd_) != 0) fail(errno);
  durable_bytes_ = bytes_written_;
  return durable_bytes_;
}

void FileSink::commit() {
  sync();

  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno);
  if (::rename(temp_path_.c_str(), final_path_.c_str()) != 0) fail(errno);
  committed_ = true;

  // The rename is durable only once the directory entry is on disk. A
  // failure here is reported because the caller was promised durability.
  int directory = ::open(DirectoryOf(final_path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory < 0) throw IOError(WriteErrorMessage(final_path_, errno));
  int status = ::fsync(directory);
  int error_number = errno;
  ::close(directory);
  if (status != 0) throw IOError(WriteErrorMessage(final_path_, error_number));
}

void FileSink::abort() noexcept {
  if (committed_) return;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (!temp_path_.empty() && !keep_partial_) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
  buffer_.discard();
}

}  // namespace sluice
