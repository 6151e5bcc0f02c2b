// InputStream: the bytes of an input file, decompressed when the file is
// gzip or zstd (detected from its magic bytes, not its name).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

// Reads up to `capacity` bytes into `dest`; returns 0 only at the end of input.
using ReadFunction = std::function<size_t(char* dest, size_t capacity)>;

enum class InputCompression { kNone, kGzip, kZstd };

class InputStream {
 public:
  // Opens `path` for reading. Throws IOError when it cannot be opened or is a
  // directory.
  explicit InputStream(std::string path);
  ~InputStream();

  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Reads up to `capacity` decompressed bytes; returns 0 only at the end.
  // Throws InvalidInput for corrupt or truncated compressed data and IOError
  // when reading fails.
  size_t read(char* dest, size_t capacity);

  // A ReadFunction that reads from this stream, which must outlive it.
  ReadFunction reader() {
    return [this](char* dest, size_t capacity) { return read(dest, capacity); };
  }

  InputCompression compression() const { return compression_; }
  // The file's size in bytes, when it is a regular file.
  std::optional<uint64_t> file_size() const { return file_size_; }
  // Bytes read from the file so far (compressed bytes for compressed input),
  // to compare with file_size() for progress.
  uint64_t file_bytes_read() const { return file_bytes_read_; }

 private:
  struct Decoder;

  void detect_compression();
  size_t read_file(char* dest, size_t capacity);
  bool refill_input();
  size_t read_gzip(char* dest, size_t capacity);
  size_t read_zstd(char* dest, size_t capacity);

  std::string path_;
  int fd_ = -1;
  std::optional<uint64_t> file_size_;
  uint64_t file_bytes_read_ = 0;
  bool file_eof_ = false;
  bool detected_ = false;
  InputCompression compression_ = InputCompression::kNone;

  // File bytes read ahead: the magic bytes, then compressed input.
  std::vector<char> input_;
  size_t input_begin_ = 0;
  size_t input_end_ = 0;
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace sluice
