#include "formats/avro/avro_encoding.h"

namespace sluice {

namespace {

// Fills `bytes` with the 16-byte big-endian two's complement of `value`.
void ToBigEndian(Int128 value, unsigned char bytes[16]) {
  auto bits = static_cast<unsigned __int128>(value);
  for (int i = 15; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(bits & 0xFF);
    bits >>= 8;
  }
}

}  // namespace

void AppendAvroDecimalBytes(std::string& out, Int128 unscaled) {
  unsigned char bytes[16];
  ToBigEndian(unscaled, bytes);

  // Drop leading bytes that only repeat the sign, keeping the byte whose top
  // bit carries it.
  unsigned char sign = unscaled < 0 ? 0xFF : 0x00;
  size_t start = 0;
  while (start < 15 && bytes[start] == sign && (bytes[start + 1] & 0x80) == (sign & 0x80)) ++start;

  AppendAvroLong(out, static_cast<int64_t>(16 - start));
  out.append(reinterpret_cast<const char*>(bytes + start), 16 - start);
}

void AppendAvroDecimalFixed(std::string& out, Int128 unscaled, size_t size) {
  unsigned char bytes[16];
  ToBigEndian(unscaled, bytes);
  if (size > 16) out.append(size - 16, static_cast<char>(unscaled < 0 ? 0xFF : 0x00));
  size_t keep = size < 16 ? size : 16;
  out.append(reinterpret_cast<const char*>(bytes + 16 - keep), keep);
}

}  // namespace sluice
