// SpecialFileSink: writes straight into an existing character or block
// device, FIFO or socket named as the destination, such as /dev/null or a
// named pipe another program reads.
//
// Such a destination cannot take a temporary file and a rename, because a
// rename would replace the device node or FIFO with a regular file. So the
// bytes go to the node itself through a 1 MiB buffer, as with standard
// output: nothing written can be taken back, abort() only discards the
// buffered bytes, and the export can be neither split nor resumed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sinks/byte_sink.h"
#include "sinks/fd_write_buffer.h"
#include "sluice/sluice.h"

namespace sluice {

class SpecialFileSink : public ByteSink {
 public:
  // Opens `path` for writing without creating or truncating it. Opening a
  // FIFO waits until a reader opens it. With `cancel` set, the wait polls
  // every 20 ms and throws ErrorKind::kCancelled once the token is
  // cancelled. Without it, open(2) blocks. Throws IOError naming `path`.
  explicit SpecialFileSink(std::string path, const CancellationToken* cancel = nullptr);
  ~SpecialFileSink() override;

  SpecialFileSink(const SpecialFileSink&) = delete;
  SpecialFileSink& operator=(const SpecialFileSink&) = delete;

  // Throws IOError naming the path and the OS error.
  void write(std::string_view data) override;

  // Flushes the buffer and closes the descriptor.
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

 private:
  void open_fifo_when_read(const CancellationToken& cancel);
  [[noreturn]] void fail(int error_number);
  void close_descriptor() noexcept;

  std::string path_;
  int fd_ = -1;
  FdWriteBuffer buffer_;
  uint64_t bytes_written_ = 0;
};

// True when `path` names an existing file that is neither a regular file nor
// a directory, after following symbolic links: a character or block device,
// a FIFO or a socket.
bool IsSpecialFile(const std::string& path);

}  // namespace sluice
