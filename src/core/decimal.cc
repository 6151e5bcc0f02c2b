#include "core/decimal.h"

#include <algorithm>

namespace sluice {

namespace {

Int128 PowerOfTen(int exponent) {
  Int128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

int CountDigits(Int128 value) {
  if (value < 0) value = -value;
  int digits = 1;
  while (value >= 10) {
    value /= 10;
    ++digits;
  }
  return digits;
}

}  // namespace

void AppendInt128(std::string& out, Int128 value) {
  // The minimum value cannot be negated, so digits are taken from the
  // negative side for every negative number.
  char digits[48];
  int length = 0;
  bool negative = value < 0;
  do {
    int digit = static_cast<int>(value % 10);
    digits[length++] = static_cast<char>('0' + (negative ? -digit : digit));
    value /= 10;
  } while (value != 0);
  if (negative) out.push_back('-');
  while (length > 0) out.push_back(digits[--length]);
}

void AppendDecimal(std::string& out, Int128 unscaled, int scale) {
  if (scale == 0) {
    AppendInt128(out, unscaled);
    return;
  }
  std::string digits;
  AppendInt128(digits, unscaled);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) {
    digits.erase(0, 1);
    out.push_back('-');
  }
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  size_t point = digits.size() - static_cast<size_t>(scale);
  out.append(digits, 0, point);
  out.push_back('.');
  out.append(digits, point, std::string::npos);
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

  ParsedDecimal result;
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
    result.unscaled = result.unscaled * 10 + (c - '0');
    ++digits;
  }
  if (!seen_digit || result.scale > kMaxDecimalPrecision) return std::nullopt;

  if (negative) result.unscaled = -result.unscaled;
  result.precision = std::max({digits, result.scale, 1});
  result.significant_digits = digits;
  return result;
}

std::optional<Int128> RescaleDecimal(const ParsedDecimal& value, int precision, int scale) {
  Int128 unscaled = value.unscaled;
  if (scale >= value.scale) {
    Int128 factor = PowerOfTen(scale - value.scale);
    Int128 limit = PowerOfTen(kMaxDecimalPrecision);
    Int128 magnitude = unscaled < 0 ? -unscaled : unscaled;
    if (magnitude > limit / factor) return std::nullopt;
    unscaled *= factor;
  } else {
    Int128 factor = PowerOfTen(value.scale - scale);
    if (unscaled % factor != 0) return std::nullopt;
    unscaled /= factor;
  }
  if (unscaled != 0 && CountDigits(unscaled) > precision) return std::nullopt;
  return unscaled;
}

}  // namespace sluice
