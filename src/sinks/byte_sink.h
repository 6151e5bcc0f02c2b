// ByteSink: where an export's bytes go. Compression and encryption are
// ByteSinks that wrap another ByteSink.
#pragma once

#include <cstdint>
#include <string_view>

namespace sluice {

class ByteSink {
 public:
  virtual ~ByteSink() = default;

  // Appends bytes. Throws sluice::Error (kIO) when the destination fails.
  virtual void write(std::string_view data) = 0;

  // Finishes the output: writes any trailer, makes the bytes durable and
  // publishes them under the final name. After commit() the sink is closed.
  virtual void commit() = 0;

  // Discards the output so nothing is left under the final name. Safe to
  // call after a failed write or commit; never throws.
  virtual void abort() noexcept = 0;

  // Bytes accepted by write() so far, before any transform this sink applies.
  virtual uint64_t bytes_written() const = 0;
};

}  // namespace sluice
