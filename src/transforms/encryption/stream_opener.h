// The reading half of the STREAM construction (see stream_sealer.h): reads
// sealed segments one at a time, verifies each before passing its plaintext
// on, and tells truncation, trailing data and modified segments apart.
#pragma once

#include <cstdint>
#include <istream>
#include <span>
#include <string_view>

#include "sinks/byte_sink.h"
#include "transforms/encryption/aead_cipher.h"
#include "transforms/encryption/stream_sealer.h"

namespace sluice {

struct StreamLayout {
  size_t segment_bytes = 0;    // plaintext bytes of every segment but the final one
  uint64_t max_segments = 0;   // the nonce counter's range
  uint64_t payload_offset = 0;  // file offset of segment 0, for error messages
};

// Decrypts the segments that follow in `in` into `out`, which receives only
// verified plaintext. Returns the plaintext byte count. Throws InvalidInput
// naming `file_label` and the segment number (counting from 0) when a segment
// fails authentication, the file ends before its final segment, data follows
// the final segment, or a final segment after the first is empty. Throws
// IOError when reading fails. Does not commit `out`.
uint64_t OpenStream(std::istream& in, AeadCipher& cipher, std::span<const uint8_t> aad,
                    const SegmentNonceFunction& nonce, const StreamLayout& layout,
                    std::string_view file_label, ByteSink& out);

}  // namespace sluice
