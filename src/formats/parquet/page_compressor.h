// Compression codecs of Parquet pages: snappy (raw block format), gzip
// (RFC 1952 members) and zstd frames.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {

// Parses "snappy", "gzip", "zstd" or "none"/"uncompressed"; throws
// InvalidInput naming the accepted values.
Codec ParseCodec(const std::string& name);
std::string CodecName(Codec codec);

// Compresses pages with one codec, reusing its context between pages.
class PageCompressor {
 public:
  // level 0 = the codec's default. Throws InvalidInput for a level outside
  // the codec's range.
  PageCompressor(Codec codec, int level);
  ~PageCompressor();

  Codec codec() const { return codec_; }
  // Replaces `out` with the compressed form of `input`.
  void compress(std::string_view input, std::string& out);

 private:
  Codec codec_;
  int level_;
  struct ZstdContext;
  std::unique_ptr<ZstdContext> zstd_;
};

// Decompresses one page of `codec` into out (resized to uncompressed_size).
// Throws InvalidInput when the data does not decompress to exactly that size
// or the codec is not supported.
void DecompressPage(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out);

}  // namespace sluice::parquet
