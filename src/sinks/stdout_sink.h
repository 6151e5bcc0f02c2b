// StdoutSink: writes to standard output (or another open descriptor) through
// a 1 MiB buffer.
//
// Standard output cannot be taken back: abort() only discards the bytes still
// in the buffer, and whatever was already written stays with the reader.
// Destruction without commit() behaves like abort(). Writing to a closed pipe
// raises SIGPIPE unless the program ignores that signal, in which case
// write() throws IOError for EPIPE.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "sinks/byte_sink.h"
#include "sinks/fd_write_buffer.h"

namespace sluice {

class StdoutSink : public ByteSink {
 public:
  // The sink never closes `fd`. Tests pass a temporary file or /dev/full.
  explicit StdoutSink(int fd = 1);

  // Throws IOError naming standard output and the OS error.
  void write(std::string_view data) override;

  // Flushes the buffer, and fsyncs when the descriptor is a regular file.
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

 private:
  void flush_buffer();

  int fd_;
  FdWriteBuffer buffer_;
  bool open_ = true;
  uint64_t bytes_written_ = 0;
};

}  // namespace sluice
