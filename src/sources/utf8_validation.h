// UTF-8 validation for text read from files (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice {

// Returns the length of the UTF-8 sequence that starts with the non-ASCII
// byte at `p`: 2 to 4 when it is valid and complete, 0 when it is invalid.
// Returns -1 when the bytes before `end` are a valid but incomplete prefix,
// which more input may complete.
// REQUIRES: p < end and *p >= 0x80.
inline int Utf8SequenceLength(const char* p, const char* end) {
  auto byte = [&](ptrdiff_t i) { return static_cast<uint8_t>(p[i]); };
  uint8_t lead = byte(0);
  int length;
  uint8_t second_min = 0x80;
  uint8_t second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // shorter forms are overlong
    if (lead == 0xED) second_max = 0x9F;  // U+D800..U+DFFF are surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }

  ptrdiff_t available = end - p;
  for (int i = 1; i < length; ++i) {
    if (i >= available) return -1;
    uint8_t min = i == 1 ? second_min : 0x80;
    uint8_t max = i == 1 ? second_max : 0xBF;
    if (byte(i) < min || byte(i) > max) return 0;
  }
  return length;
}

// Returns the offset of the first byte that is not part of valid UTF-8, or
// text.size() when all of it is valid.
size_t FindInvalidUtf8(std::string_view text);

}  // namespace sluice
