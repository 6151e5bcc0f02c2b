#include "sources/utf8_validation.h"

#include <cstring>

namespace sluice {

size_t FindInvalidUtf8(std::string_view text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* p = begin;
  while (p < end) {
    // ASCII fast path: eight bytes at a time while no byte has its top bit set.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if (word & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p == end) break;
    if (static_cast<uint8_t>(*p) < 0x80) {
      ++p;
      continue;
    }
    int length = Utf8SequenceLength(p, end);
    if (length <= 0) return static_cast<size_t>(p - begin);
    p += length;
  }
  return text.size();
}

}  // namespace sluice
