#include "transforms/encryption/stream_opener.h"

#include <string>
#include <vector>

#include "sluice/error.h"

namespace sluice {

namespace {

size_t ReadUpTo(std::istream& in, std::span<uint8_t> buffer, std::string_view file_label) {
  in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
  if (in.bad()) {
    throw IOError("reading " + std::string(file_label) + " failed; check that the file is readable");
  }
  return static_cast<size_t>(in.gcount());
}

std::string SegmentName(uint64_t counter, uint64_t offset) {
  return "segment " + std::to_string(counter) + " (at byte offset " + std::to_string(offset) + ")";
}

}  // namespace

uint64_t OpenStream(std::istream& in, AeadCipher& cipher, std::span<const uint8_t> aad,
                    const SegmentNonceFunction& nonce, const StreamLayout& layout,
                    std::string_view file_label, ByteSink& out) {
  const std::string label(file_label);
  const size_t sealed_full = layout.segment_bytes + kAeadTagBytes;
  std::vector<uint8_t> sealed(sealed_full);
  std::vector<uint8_t> plain(layout.segment_bytes);
  uint64_t plaintext_bytes = 0;

  for (uint64_t counter = 0;; ++counter) {
    const uint64_t offset = layout.payload_offset + counter * sealed_full;
    if (counter >= layout.max_segments) {
      throw InvalidInput(label + " has more than " + std::to_string(layout.max_segments) +
                         " segments, more than its nonce counter allows; the file is corrupt");
    }

    const size_t size = ReadUpTo(in, sealed, label);
    const bool at_end = size < sealed_full || in.peek() == std::istream::traits_type::eof();
    if (size < kAeadTagBytes) {
      throw InvalidInput(label + " is truncated: " + SegmentName(counter, offset) + " has only " +
                         std::to_string(size) + " of at least " + std::to_string(kAeadTagBytes) +
                         " bytes");
    }

    auto input = std::span(sealed).first(size);
    auto output = std::span(plain).first(size - kAeadTagBytes);
    if (!at_end) {
      if (cipher.open(nonce(counter, false), aad, input, output)) {
        out.write(std::string_view(reinterpret_cast<const char*>(output.data()), output.size()));
        plaintext_bytes += output.size();
        continue;
      }
      if (cipher.open(nonce(counter, true), aad, input, output)) {
        throw InvalidInput(label + " has data after its final segment " +
                           std::to_string(counter) + "; the file was modified");
      }
      throw InvalidInput(label + ": " + SegmentName(counter, offset) +
                         " failed authentication; the file was modified or is damaged");
    }

    if (cipher.open(nonce(counter, true), aad, input, output)) {
      if (output.empty() && counter > 0) {
        throw InvalidInput(label + ": the final segment " + std::to_string(counter) +
                           " is empty, which only an empty file may have; the file was modified");
      }
      out.write(std::string_view(reinterpret_cast<const char*>(output.data()), output.size()));
      return plaintext_bytes + output.size();
    }
    if (size == sealed_full && cipher.open(nonce(counter, false), aad, input, output)) {
      throw InvalidInput(label + " is truncated: it ends after segment " + std::to_string(counter) +
                         ", which is not the final segment");
    }
    throw InvalidInput(label + ": " + SegmentName(counter, offset) +
                       " failed authentication; the file is truncated or was modified");
  }
}

}  // namespace sluice
