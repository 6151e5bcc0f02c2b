// DELTA_BINARY_PACKED: a header of ULEB128 block size (values, a multiple of
// 128), miniblocks per block, total value count and the zigzag first value;
// then blocks of a zigzag min delta, one bit-width byte per miniblock and the
// miniblocks' deltas minus min delta, bit-packed LSB first.
#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "sources/parquet/value_decoding.h"

namespace sluice::parquet {

namespace {

[[noreturn]] void Corrupt(const char* what) {
  throw InvalidInput(std::string("corrupt Parquet page: DELTA_BINARY_PACKED ") + what);
}

uint64_t ReadUleb128(std::string_view data, size_t& pos) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= data.size()) Corrupt("data ends inside a number");
    auto byte = static_cast<uint8_t>(data[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  Corrupt("number longer than 10 bytes");
}

int64_t ReadZigzag(std::string_view data, size_t& pos) {
  uint64_t value = ReadUleb128(data, pos);
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// Reads `width` bits (0..64) starting at bit `bit` of data.
// REQUIRES: the bits lie inside data.
uint64_t ReadBits(const uint8_t* data, size_t size, size_t bit, int width) {
  size_t byte = bit / 8;
  int shift = static_cast<int>(bit % 8);
  if (width <= 56 && byte + 8 <= size) {
    uint64_t word;
    std::memcpy(&word, data + byte, 8);
    uint64_t mask = width == 0 ? 0 : (~uint64_t{0} >> (64 - width));
    return (word >> shift) & mask;
  }
  uint64_t result = 0;
  int got = 0;
  while (got < width) {
    int take = std::min(8 - shift, width - got);
    uint64_t part = (data[byte] >> shift) & ((1u << take) - 1);
    result |= part << got;
    got += take;
    ++byte;
    shift = 0;
  }
  return result;
}

}  // namespace

size_t DecodeDeltaBinaryPacked(std::string_view data, size_t count, std::vector<int64_t>& out) {
  size_t pos = 0;
  uint64_t block_size = ReadUleb128(data, pos);
  uint64_t miniblocks = ReadUleb128(data, pos);
  uint64_t total = ReadUleb128(data, pos);
  uint64_t value = static_cast<uint64_t>(ReadZigzag(data, pos));
  if (block_size == 0 || block_size % 128 != 0 || miniblocks == 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0) {
    Corrupt("header has an invalid block layout");
  }
  if (total != count) Corrupt("value count differs from the page's");
  if (count == 0) return pos;

  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  uint64_t per_miniblock = block_size / miniblocks;
  out.reserve(out.size() + count);
  out.push_back(static_cast<int64_t>(value));
  size_t decoded = 1;
  while (decoded < count) {
    uint64_t min_delta = static_cast<uint64_t>(ReadZigzag(data, pos));
    if (data.size() - pos < miniblocks) Corrupt("bit widths past the end of the data");
    size_t widths_at = pos;
    pos += miniblocks;
    for (uint64_t m = 0; m < miniblocks && decoded < count; ++m) {
      int width = static_cast<uint8_t>(data[widths_at + m]);
      if (width > 64) Corrupt("bit width above 64");
      size_t n = static_cast<size_t>(std::min<uint64_t>(per_miniblock, count - decoded));
      size_t needed = (n * width + 7) / 8;
      if (needed > data.size() - pos) Corrupt("miniblock past the end of the data");
      for (size_t i = 0; i < n; ++i) {
        value += min_delta + ReadBits(bytes, data.size(), pos * 8 + i * width, width);
        out.push_back(static_cast<int64_t>(value));
      }
      decoded += n;
      // A full miniblock is padded to per_miniblock values; the last may be cut short.
      pos += std::min<size_t>(per_miniblock * width / 8, data.size() - pos);
    }
  }
  return pos;
}

}  // namespace sluice::parquet
