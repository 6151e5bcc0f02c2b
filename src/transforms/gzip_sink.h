// GzipSink: gzip compression (RFC 1952, zlib's deflate) in front of another
// sink, streaming through a fixed-size output buffer.
//
// The output is deterministic for a given input, level and zlib build: the
// gzip header has mtime 0 and no file name. end_frame() ends the current
// gzip member, and gzip readers (gzip -d, zlib's inflate with gzip
// detection, Python's gzip module) read consecutive members as one stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "transforms/compression_sink.h"

struct z_stream_s;

namespace sluice {

class GzipSink : public CompressionSink {
 public:
  // `level` is zlib's: 1 (fastest) to 9 (smallest), 0 to store without
  // compression, or -1 for zlib's default (6). Throws InvalidInput for other
  // values.
  GzipSink(std::unique_ptr<ByteSink> inner, int level);
  ~GzipSink() override;

  void write(std::string_view data) override;

  // Ends the last member (an empty output still gets one empty member, so it
  // is a valid gzip file), then commits the inner sink.
  void commit() override;
  void abort() noexcept override;

  // Uncompressed bytes accepted by write().
  uint64_t bytes_written() const override { return bytes_in_; }

  void end_frame() override;
  uint64_t compressed_bytes() const override { return bytes_out_; }

 private:
  void run_deflate(int flush_mode);
  void emit_output();
  void require_open() const;

  std::unique_ptr<ByteSink> inner_;
  std::unique_ptr<z_stream_s> stream_;
  std::vector<unsigned char> output_;  // compressed bytes not yet written to inner_
  bool open_ = true;
  bool member_has_data_ = false;
  bool any_member_ended_ = false;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace sluice
