// ZstdSink: Zstandard compression (RFC 8878, libzstd's streaming API) in
// front of another sink, streaming through a fixed-size output buffer.
//
// Frames carry a content checksum. The output is deterministic for a given
// input, level and libzstd version because compression runs on the calling
// thread (no worker threads). end_frame() ends the current frame, and zstd
// readers decompress consecutive frames as one stream.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "transforms/compression_sink.h"

struct ZSTD_CCtx_s;

namespace sluice {

class ZstdSink : public CompressionSink {
 public:
  // `level` is libzstd's: 1 (fastest) to ZSTD_maxCLevel() (22, smallest),
  // negative levels down to ZSTD_minCLevel() for faster still, or 0 for
  // libzstd's default (3). Throws InvalidInput for other values.
  ZstdSink(std::unique_ptr<ByteSink> inner, int level);
  ~ZstdSink() override;

  void write(std::string_view data) override;

  // Ends the last frame (an empty output still gets one empty frame), then
  // commits the inner sink.
  void commit() override;
  void abort() noexcept override;

  // Uncompressed bytes accepted by write().
  uint64_t bytes_written() const override { return bytes_in_; }

  void end_frame() override;
  uint64_t compressed_bytes() const override { return bytes_out_; }

 private:
  void emit_output();
  void require_open() const;

  std::unique_ptr<ByteSink> inner_;
  ZSTD_CCtx_s* context_ = nullptr;
  std::vector<char> output_;  // output_[0, output_used_) is not yet written to inner_
  size_t output_used_ = 0;
  bool open_ = true;
  bool frame_has_data_ = false;
  bool any_frame_ended_ = false;
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace sluice
