#include "sources/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace sluice {

namespace {

constexpr size_t kInputBufferBytes = 256 * 1024;

}  // namespace

struct InputStream::Decoder {
  z_stream gzip{};
  bool gzip_ready = false;
  bool in_gzip_member = false;  // inside a member; gzip files may have several
  ZSTD_DCtx* zstd = nullptr;
  bool zstd_frame_complete = true;

  ~Decoder() {
    if (gzip_ready) inflateEnd(&gzip);
    if (zstd != nullptr) ZSTD_freeDCtx(zstd);
  }
};

InputStream::InputStream(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw IOError("failed to open '" + path_ + "': " + std::strerror(errno) +
                  "; check the path and its permissions");
  }
  struct stat info;
  if (::fstat(fd_, &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      ::close(fd_);
      throw IOError("failed to read '" + path_ + "': it is a directory; pass a file");
    }
    if (S_ISREG(info.st_mode)) {
      file_size_ = static_cast<uint64_t>(info.st_size);
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  input_.resize(kInputBufferBytes);
}

InputStream::~InputStream() { ::close(fd_); }

size_t InputStream::read(char* dest, size_t capacity) {
  if (!detected_) detect_compression();
  switch (compression_) {
    case InputCompression::kGzip: return read_gzip(dest, capacity);
    case InputCompression::kZstd: return read_zstd(dest, capacity);
    case InputCompression::kNone: break;
  }
  if (input_begin_ < input_end_) {
    size_t count = std::min(capacity, input_end_ - input_begin_);
    std::memcpy(dest, input_.data() + input_begin_, count);
    input_begin_ += count;
    return count;
  }
  return read_file(dest, capacity);
}

void InputStream::detect_compression() {
  detected_ = true;
  while (input_end_ < 4 && refill_input()) {
  }
  const unsigned char* magic = reinterpret_cast<const unsigned char*>(input_.data());
  size_t available = input_end_;
  if (available >= 2 && magic[0] == 0x1F && magic[1] == 0x8B) {
    compression_ = InputCompression::kGzip;
    decoder_ = std::make_unique<Decoder>();
    if (inflateInit2(&decoder_->gzip, 15 + 16) != Z_OK) {  // 15-bit window, gzip header
      throw IOError("failed to start gzip decompression of '" + path_ + "': out of memory");
    }
    decoder_->gzip_ready = true;
  } else if (available >= 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F &&
             magic[3] == 0xFD) {
    compression_ = InputCompression::kZstd;
    decoder_ = std::make_unique<Decoder>();
    decoder_->zstd = ZSTD_createDCtx();
    if (decoder_->zstd == nullptr) {
      throw IOError("failed to start zstd decompression of '" + path_ + "': out of memory");
    }
  }
}

size_t InputStream::read_file(char* dest, size_t capacity) {
  if (file_eof_) return 0;
  while (true) {
    ssize_t count = ::read(fd_, dest, capacity);
    if (count > 0) {
      file_bytes_read_ += static_cast<uint64_t>(count);
      return static_cast<size_t>(count);
    }
    if (count == 0) {
      file_eof_ = true;
      return 0;
    }
    if (errno != EINTR) throw IOError("failed to read '" + path_ + "': " + std::strerror(errno));
  }
}

// Reads more file bytes into input_ after what it holds. Returns false at
// the end of the file.
bool InputStream::refill_input() {
  if (input_begin_ == input_end_) input_begin_ = input_end_ = 0;
  size_t count = read_file(input_.data() + input_end_, input_.size() - input_end_);
  input_end_ += count;
  return count > 0;
}

size_t InputStream::read_gzip(char* dest, size_t capacity) {
  z_stream& stream = decoder_->gzip;
  stream.next_out = reinterpret_cast<Bytef*>(dest);
  stream.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 1u << 30));
  const uInt wanted = stream.avail_out;

  while (stream.avail_out == wanted) {
    if (input_begin_ == input_end_) refill_input();
    bool no_input = input_begin_ == input_end_;
    if (no_input && !decoder_->in_gzip_member) return 0;
    if (!decoder_->in_gzip_member) {
      inflateReset(&stream);
      decoder_->in_gzip_member = true;
    }

    stream.next_in = reinterpret_cast<Bytef*>(input_.data() + input_begin_);
    stream.avail_in = static_cast<uInt>(input_end_ - input_begin_);
    int status = inflate(&stream, Z_NO_FLUSH);
    input_begin_ = input_end_ - stream.avail_in;

    if (status == Z_STREAM_END) {
      decoder_->in_gzip_member = false;
    } else if (status == Z_BUF_ERROR && no_input) {
      throw InvalidInput("truncated gzip file '" + path_ +
                         "': it ends inside compressed data; check that it was copied whole");
    } else if (status != Z_OK && status != Z_BUF_ERROR) {
      std::string detail = stream.msg != nullptr ? stream.msg : "error " + std::to_string(status);
      throw InvalidInput("invalid gzip data in '" + path_ + "': " + detail +
                         "; check that the file is a complete gzip file");
    }
  }
  return wanted - stream.avail_out;
}

size_t InputStream::read_zstd(char* dest, size_t capacity) {
  ZSTD_outBuffer output{dest, capacity, 0};
  while (output.pos == 0) {
    if (input_begin_ == input_end_) refill_input();
    bool no_input = input_begin_ == input_end_;

    ZSTD_inBuffer input{input_.data() + input_begin_, input_end_ - input_begin_, 0};
    size_t status = ZSTD_decompressStream(decoder_->zstd, &output, &input);
    if (ZSTD_isError(status)) {
      throw InvalidInput("invalid zstd data in '" + path_ + "': " + ZSTD_getErrorName(status) +
                         "; check that the file is a complete zstd file");
    }
    input_begin_ += input.pos;
    // 0 means a frame ended and all its output was returned.
    if (input.pos > 0 || output.pos > 0) decoder_->zstd_frame_complete = status == 0;

    if (no_input && output.pos == 0) {
      if (decoder_->zstd_frame_complete) return 0;
      throw InvalidInput("truncated zstd file '" + path_ +
                         "': it ends inside a frame; check that it was copied whole");
    }
  }
  return output.pos;
}

}  // namespace sluice
