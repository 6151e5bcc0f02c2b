// CompressionSink: a ByteSink that compresses into another ByteSink, and can
// end the current gzip member or zstd frame at a checkpoint.
#pragma once

#include <cstdint>

#include "sinks/byte_sink.h"

namespace sluice {

class CompressionSink : public ByteSink {
 public:
  // Ends the current gzip member or zstd frame and writes every compressed
  // byte so far to the inner sink. Data written afterwards starts a new
  // member or frame; decompressors read the concatenation as one stream.
  // Because compression is deterministic, a run that restarts at this point
  // with the same input produces the same bytes. Does nothing when no data
  // was written since the last frame ended.
  virtual void end_frame() = 0;

  // Compressed bytes handed to the inner sink so far.
  virtual uint64_t compressed_bytes() const = 0;
};

}  // namespace sluice
