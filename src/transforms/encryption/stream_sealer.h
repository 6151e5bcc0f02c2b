// The writing half of the STREAM construction shared by the Sluice container
// and age: plaintext is cut into fixed-size segments, and segment i is sealed
// with a nonce built from i and a flag that marks the final segment.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/byte_sink.h"
#include "transforms/encryption/aead_cipher.h"

namespace sluice {

// Returns the nonce of segment `counter`; `last` is true for the final one.
using SegmentNonceFunction = std::function<AeadNonce(uint64_t counter, bool last)>;

// Buffers at most one segment of plaintext. A full segment is sealed only when
// more plaintext follows it, so finish() always has a final segment to seal:
// the final segment is empty only when the whole plaintext is.
class StreamSealer {
 public:
  // `aad` is authenticated with every segment. `first_counter` is above zero
  // when continuing a stream from a checkpoint. Throws InvalidInput when more
  // than `max_segments` segments would be sealed (the nonce counter's range).
  StreamSealer(std::unique_ptr<AeadCipher> cipher, std::string aad, SegmentNonceFunction nonce,
               size_t segment_bytes, uint64_t max_segments, uint64_t first_counter = 0);

  // Appends plaintext and passes every sealed segment to `out`.
  void write(std::string_view plaintext, ByteSink& out);

  // Seals the final segment into `out`. After finish() the sealer is closed.
  void finish(ByteSink& out);

  uint64_t segments_sealed() const { return counter_; }
  size_t pending_bytes() const { return pending_.size(); }

 private:
  void seal(std::span<const uint8_t> plaintext, bool last, ByteSink& out);

  std::unique_ptr<AeadCipher> cipher_;
  std::string aad_;
  SegmentNonceFunction nonce_;
  size_t segment_bytes_;
  uint64_t max_segments_;
  uint64_t counter_;             // the next segment's number
  std::vector<uint8_t> pending_;  // plaintext of the next segment, at most segment_bytes_
  std::vector<uint8_t> sealed_;   // scratch: one sealed segment
  bool finished_ = false;
};

}  // namespace sluice
