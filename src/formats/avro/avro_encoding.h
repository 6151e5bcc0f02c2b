// Avro binary encoding of primitive values (Apache Avro 1.11 specification,
// "Binary Encoding"): int and long are zigzag varints, float and double are
// little-endian IEEE 754, bytes and string are a long length then the bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/batch.h"

namespace sluice {

// Longest zigzag varint of a 64-bit value.
constexpr size_t kMaxVarintBytes = 10;

// Writes the zigzag varint of `value` at `out` and returns the byte after it.
// REQUIRES: kMaxVarintBytes of room at `out`.
inline char* PutAvroLong(char* out, int64_t value) {
  uint64_t n = (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  while (n >= 0x80) {
    *out++ = static_cast<char>(n | 0x80);
    n >>= 7;
  }
  *out++ = static_cast<char>(n);
  return out;
}

inline void AppendAvroLong(std::string& out, int64_t value) {
  char buffer[kMaxVarintBytes];
  out.append(buffer, PutAvroLong(buffer, value) - buffer);
}

inline void AppendAvroDouble(std::string& out, double value) {
  char buffer[8];
  std::memcpy(buffer, &value, 8);  // x86-64 and aarch64 Linux are little-endian
  out.append(buffer, 8);
}

inline void AppendAvroFloat(std::string& out, float value) {
  char buffer[4];
  std::memcpy(buffer, &value, 4);
  out.append(buffer, 4);
}

inline void AppendAvroBytes(std::string& out, std::string_view bytes) {
  AppendAvroLong(out, static_cast<int64_t>(bytes.size()));
  out.append(bytes);
}

// Appends `unscaled` as an Avro bytes value holding its shortest big-endian
// two's complement (1 to 16 bytes), the decimal logical type's
// representation. Zero is one 0x00 byte, 127 is 0x7F, 128 is 0x00 0x80 and
// -1 is 0xFF.
void AppendAvroDecimalBytes(std::string& out, Int128 unscaled);

// Appends `unscaled` sign-extended to exactly `size` big-endian bytes, the
// decimal representation inside a fixed type. REQUIRES: the value fits.
void AppendAvroDecimalFixed(std::string& out, Int128 unscaled, size_t size);

}  // namespace sluice
