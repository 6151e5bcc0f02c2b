// Exact decimal text conversion for unscaled __int128 values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/batch.h"

namespace sluice {

// Appends the decimal text of `unscaled` / 10^scale, keeping every digit of
// the scale ("1.10" stays "1.10", "-0.05" keeps its leading zero).
void AppendDecimal(std::string& out, Int128 unscaled, int scale);
std::string FormatDecimal(Int128 unscaled, int scale);

// Appends the base-10 text of a 128-bit integer.
void AppendInt128(std::string& out, Int128 value);

// A decimal literal as read from text: its digits without the point, and how
// many of them follow the point.
struct ParsedDecimal {
  Int128 unscaled = 0;
  int precision = 0;           // digits the value needs: at least 1 and at least scale
  int scale = 0;
  int significant_digits = 0;  // digits without leading zeros ("0.050" has 2)
};

// Parses "[+-]digits[.digits]" exactly. Returns nullopt for anything else,
// including exponents and more than 38 digits.
std::optional<ParsedDecimal> ParseDecimalText(std::string_view text);

// Rescales a parsed literal to `scale` digits after the point. Returns nullopt
// when digits would be lost or the result needs more than `precision` digits.
std::optional<Int128> RescaleDecimal(const ParsedDecimal& value, int precision, int scale);

}  // namespace sluice
