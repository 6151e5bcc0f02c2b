// Compression of Avro data blocks, per the specification's codecs: "null",
// "deflate" (raw RFC 1951 data, no zlib header), "snappy" (the compressed
// block followed by the big-endian CRC-32 of the uncompressed data) and
// "zstandard" (one Zstandard frame).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sluice/options.h"

namespace sluice {

// The name stored in the file's "avro.codec" metadata.
const char* AvroCodecName(AvroCodec codec);

// Parses "null", "deflate", "snappy", "zstandard" (or "zstd"). Throws
// InvalidInput listing the codecs.
AvroCodec ParseAvroCodec(std::string_view name);

class AvroBlockCompressor {
 public:
  virtual ~AvroBlockCompressor() = default;

  // Replaces `out` with the codec's encoding of `block`.
  virtual void compress(std::string_view block, std::string& out) = 0;
};

// `level` 0 takes the codec's default. Throws InvalidInput for a level the
// codec does not accept.
std::unique_ptr<AvroBlockCompressor> MakeAvroBlockCompressor(AvroCodec codec, int level);

}  // namespace sluice
