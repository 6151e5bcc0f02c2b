// FdWriteBuffer: the write buffer shared by the sinks that write to a file
// descriptor. It gathers small writes into 1 MiB and writes whole buffers,
// retrying short writes and EINTR.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace sluice {

class FdWriteBuffer {
 public:
  FdWriteBuffer();

  // Buffers `data`, writing to `fd` when the buffer fills. Returns 0, or the
  // errno of the failed write; the buffer is then empty.
  int append(int fd, std::string_view data);

  // Writes everything buffered to `fd`. Returns 0 or the errno of the failure.
  int flush(int fd);

  // Drops the buffered bytes without writing them.
  void discard() { buffered_ = 0; }

 private:
  std::unique_ptr<char[]> buffer_;
  size_t buffered_ = 0;
};

}  // namespace sluice
