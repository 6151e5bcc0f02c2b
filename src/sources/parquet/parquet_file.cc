#include "sources/parquet/parquet_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace sluice::parquet {

namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kEncryptedMagic = "PARE";

}  // namespace

ParquetFile::ParquetFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw IOError("cannot open Parquet file '" + path + "': " + std::strerror(errno));
  struct stat info;
  if (::fstat(fd_, &info) != 0) {
    int error = errno;
    ::close(fd_);
    throw IOError("cannot stat Parquet file '" + path + "': " + std::strerror(error));
  }
  size_ = static_cast<uint64_t>(info.st_size);
}

ParquetFile::~ParquetFile() {
  if (fd_ >= 0) ::close(fd_);
}

void ParquetFile::read(uint64_t offset, uint64_t length, std::string& out) {
  if (offset > size_ || length > size_ - offset) {
    throw InvalidInput("corrupt Parquet file '" + path_ + "': a page or footer at byte " + std::to_string(offset) +
                       " runs past the end of the file (" + std::to_string(size_) + " bytes)");
  }
  out.resize(length);
  size_t done = 0;
  while (done < length) {
    ssize_t got = ::pread(fd_, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      throw IOError("cannot read Parquet file '" + path_ + "': " + (got < 0 ? std::strerror(errno) : "unexpected end of file"));
    }
    done += static_cast<size_t>(got);
  }
  bytes_read_ += length;
}

FileMetaData ParquetFile::read_footer() {
  std::string head, tail;
  if (size_ < 12) {
    throw InvalidInput("invalid Parquet file '" + path_ + "': " + std::to_string(size_) +
                       " bytes is too short for a Parquet file (truncated?)");
  }
  read(0, 4, head);
  read(size_ - 8, 8, tail);
  if (std::string_view(tail).substr(4) == kEncryptedMagic) {
    throw InvalidInput("Parquet file '" + path_ + "' uses Parquet modular encryption, which Sluice cannot read");
  }
  if (head != kMagic || std::string_view(tail).substr(4) != kMagic) {
    throw InvalidInput("invalid Parquet file '" + path_ + "': missing the PAR1 magic at its " +
                       (head != kMagic ? "start" : "end") + " (not Parquet, or truncated)");
  }
  uint32_t footer_length;
  std::memcpy(&footer_length, tail.data(), 4);
  if (footer_length > size_ - 12) {
    throw InvalidInput("corrupt Parquet file '" + path_ + "': footer length " + std::to_string(footer_length) +
                       " is larger than the file (truncated?)");
  }
  std::string footer;
  read(size_ - 8 - footer_length, footer_length, footer);
  try {
    return DecodeFileMetaData(footer);
  } catch (const Error& error) {
    throw InvalidInput("corrupt Parquet file '" + path_ + "': " + error.what());
  }
}

}  // namespace sluice::parquet
