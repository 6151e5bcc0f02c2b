#include "core/decimal.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace sluice {

namespace {

// 10^0 through 10^38, the largest power of ten a decimal(38, s) needs.
struct PowerOfTenTable {
  Int128 values[kMaxDecimalPrecision + 1];
  constexpr PowerOfTenTable() : values() {
    values[0] = 1;
    for (int i = 1; i <= kMaxDecimalPrecision; ++i) values[i] = values[i - 1] * 10;
  }
};
constexpr PowerOfTenTable kPowersOfTen;

// REQUIRES: 0 <= exponent <= kMaxDecimalPrecision.
Int128 PowerOfTen(int exponent) { return kPowersOfTen.values[exponent]; }

// The magnitude of any Int128, the minimum value included.
unsigned __int128 Magnitude(Int128 value) {
  unsigned __int128 bits = static_cast<unsigned __int128>(value);
  return value < 0 ? 0 - bits : bits;
}

// A sign and the 39 digits of the largest 128-bit magnitude.
constexpr size_t kMaxInt128Length = 40;

// Writes `value` as exactly 19 digits, with leading zeros.
char* WriteNineteenDigits(char* dest, uint64_t value) {
  char digits[20];
  char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  size_t length = static_cast<size_t>(end - digits);
  std::memset(dest, '0', 19 - length);
  std::memcpy(dest + 19 - length, digits, length);
  return dest + 19;
}

// Writes the base-10 digits of `magnitude`. Values above 64 bits are split
// into base-10^19 chunks: four 128-bit divisions in place of two per digit.
char* WriteMagnitude(char* dest, unsigned __int128 magnitude) {
  if (magnitude <= UINT64_MAX) {
    return std::to_chars(dest, dest + 20, static_cast<uint64_t>(magnitude)).ptr;
  }
  constexpr uint64_t kChunk = 10000000000000000000ULL;  // 10^19
  uint64_t low = static_cast<uint64_t>(magnitude % kChunk);
  magnitude /= kChunk;
  uint64_t middle = static_cast<uint64_t>(magnitude % kChunk);
  uint64_t high = static_cast<uint64_t>(magnitude / kChunk);  // 2^128 < 10^39, so one digit at most
  if (high != 0) {
    dest = std::to_chars(dest, dest + 20, high).ptr;
    dest = WriteNineteenDigits(dest, middle);
  } else {
    dest = std::to_chars(dest, dest + 20, middle).ptr;
  }
  return WriteNineteenDigits(dest, low);
}

}  // namespace

void AppendInt128(std::string& out, Int128 value) {
  char text[kMaxInt128Length];
  char* end = text;
  if (value < 0) *end++ = '-';
  end = WriteMagnitude(end, Magnitude(value));
  out.append(text, end);
}

void AppendDecimal(std::string& out, Int128 unscaled, int scale) {
  if (scale == 0) {
    AppendInt128(out, unscaled);
    return;
  }
  // Digits of the magnitude, then the sign and point placed around them.
  char digits[kMaxInt128Length];
  size_t length = static_cast<size_t>(WriteMagnitude(digits, Magnitude(unscaled)) - digits);
  size_t fraction = static_cast<size_t>(scale);
  if (unscaled < 0) out.push_back('-');
  if (length <= fraction) {
    out.append("0.");
    out.append(fraction - length, '0');
    out.append(digits, length);
    return;
  }
  out.append(digits, length - fraction);
  out.push_back('.');
  out.append(digits + length - fraction, fraction);
}

std::string FormatDecimal(Int128 unscaled, int scale) {
  std::string out;
  AppendDecimal(out, unscaled, scale);
  return out;
}

std::optional<ParsedDecimal> ParseDecimalText(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }

  constexpr int kDigitsIn64Bits = 18;
  ParsedDecimal result;
  uint64_t small = 0;
  int digits = 0;
  bool seen_point = false;
  bool seen_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (seen_point) ++result.scale;
    if (digits == 0 && c == '0') continue;  // leading zeros add no digits
    if (digits >= kMaxDecimalPrecision) return std::nullopt;
    // The first 18 digits always fit in 64 bits, where arithmetic is cheaper.
    if (digits < kDigitsIn64Bits) {
      small = small * 10 + static_cast<uint64_t>(c - '0');
    } else {
      if (digits == kDigitsIn64Bits) result.unscaled = small;
      result.unscaled = result.unscaled * 10 + (c - '0');
    }
    ++digits;
  }
  if (!seen_digit || result.scale > kMaxDecimalPrecision) return std::nullopt;
  if (digits <= kDigitsIn64Bits) result.unscaled = small;

  if (negative) result.unscaled = -result.unscaled;
  result.precision = std::max({digits, result.scale, 1});
  result.significant_digits = digits;
  return result;
}

// Compares against powers of ten from a table instead of counting digits by
// repeated 128-bit division, which the CSV and JSON sources pay per value.
std::optional<Int128> RescaleDecimal(const ParsedDecimal& value, int precision, int scale) {
  // The table lookups below need both scales in 0..38.
  if (scale < 0 || scale > kMaxDecimalPrecision || precision < 0) return std::nullopt;
  if (value.scale < 0 || value.scale > kMaxDecimalPrecision) return std::nullopt;
  precision = std::min(precision, kMaxDecimalPrecision);
  Int128 unscaled = value.unscaled;
  if (scale >= value.scale) {
    int shift = scale - value.scale;
    Int128 magnitude = unscaled < 0 ? -unscaled : unscaled;
    // The result may use all 38 digits: magnitude * 10^shift <= 10^38.
    if (magnitude > PowerOfTen(kMaxDecimalPrecision - shift)) return std::nullopt;
    unscaled *= PowerOfTen(shift);
  } else {
    Int128 factor = PowerOfTen(value.scale - scale);
    if (unscaled % factor != 0) return std::nullopt;
    unscaled /= factor;
  }
  Int128 magnitude = unscaled < 0 ? -unscaled : unscaled;
  if (magnitude >= PowerOfTen(precision)) return std::nullopt;
  return unscaled;
}

}  // namespace sluice
