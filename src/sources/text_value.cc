#include "sources/text_value.h"

#include <charconv>

#include "core/decimal.h"
#include "core/temporal.h"

namespace sluice {

namespace {

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool ParseBoolean(std::string_view text, bool& value) {
  if (text == "1" || EqualsIgnoreCase(text, "true")) {
    value = true;
    return true;
  }
  if (text == "0" || EqualsIgnoreCase(text, "false")) {
    value = false;
    return true;
  }
  return false;
}

// std::from_chars takes no leading '+'.
std::string_view WithoutPlus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') {
    text.remove_prefix(1);
  }
  return text;
}

bool ParseInt64(std::string_view text, int64_t& value) {
  text = WithoutPlus(text);
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end;
}

bool ParseFloat64(std::string_view text, double& value) {
  text = WithoutPlus(text);
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end;
}

constexpr int kFastDecimalDigits = 18;  // 10^18 - 1 fits an int64

struct PowersOfTen {
  Int128 values[kMaxDecimalPrecision + 1];
  constexpr PowersOfTen() : values() {
    values[0] = 1;
    for (int i = 1; i <= kMaxDecimalPrecision; ++i) values[i] = values[i - 1] * 10;
  }
};
constexpr PowersOfTen kPowersOfTen;

enum class FastResult { kParsed, kInvalid, kUseGeneralPath };

// Parses [+-]digits[.digits] of at most 18 digits, whose scale is at most the
// type's, with one pass and a table of powers of ten. Longer text, or text with
// more digits after the point (which may be trailing zeros), goes through
// ParseDecimalText and RescaleDecimal, which accept the same forms.
FastResult ParseShortDecimal(const DataType& type, std::string_view text, Int128& value) {
  size_t i = 0;
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    i = 1;
  }
  int64_t digits_value = 0;
  int digits = 0;
  int scale = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return FastResult::kInvalid;
      seen_point = true;
      continue;
    }
    unsigned digit = static_cast<unsigned>(c - '0');
    if (digit > 9) return FastResult::kInvalid;
    if (++digits > kFastDecimalDigits) return FastResult::kUseGeneralPath;
    digits_value = digits_value * 10 + digit;
    scale += seen_point ? 1 : 0;
  }
  if (digits == 0) return FastResult::kInvalid;
  if (scale > type.scale) return FastResult::kUseGeneralPath;

  Int128 unscaled = Int128{digits_value} * kPowersOfTen.values[type.scale - scale];
  if (unscaled >= kPowersOfTen.values[type.precision]) return FastResult::kInvalid;
  value = negative ? -unscaled : unscaled;
  return FastResult::kParsed;
}

bool ParseDecimal(const DataType& type, std::string_view text, Int128& value) {
  FastResult fast = ParseShortDecimal(type, text, value);
  if (fast != FastResult::kUseGeneralPath) return fast == FastResult::kParsed;

  std::optional<ParsedDecimal> parsed = ParseDecimalText(text);
  if (!parsed) return false;
  std::optional<Int128> rescaled = RescaleDecimal(*parsed, type.precision, type.scale);
  if (!rescaled) return false;
  value = *rescaled;
  return true;
}

bool ParseTimestampValue(const DataType& type, std::string_view text, int64_t& value) {
  std::optional<ParsedTimestamp> parsed = ParseTimestamp(text);
  if (!parsed) {
    std::optional<int64_t> days = ParseDate(text);
    if (!days) return false;
    value = *days * kMicrosPerDay;
    return true;
  }
  if (type.id == TypeId::kTimestamp) {
    if (parsed->has_zone) return false;  // an instant is not a local time
    value = parsed->micros;
  } else {
    value = parsed->micros_utc;
  }
  return true;
}

}  // namespace

bool ParseTextValue(const DataType& type, std::string_view text, TextValue& value) {
  switch (type.id) {
    case TypeId::kString:
    case TypeId::kBinary:
      value.text = text;
      return true;
    case TypeId::kInt64: return ParseInt64(text, value.int64);
    case TypeId::kFloat64: return ParseFloat64(text, value.float64);
    case TypeId::kBoolean: return ParseBoolean(text, value.boolean);
    case TypeId::kDecimal: return ParseDecimal(type, text, value.decimal);
    case TypeId::kDate: {
      std::optional<int64_t> days = ParseDate(text);
      if (!days) return false;
      value.int64 = *days;
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return ParseTimestampValue(type, text, value.int64);
  }
  return false;
}

void AppendTextValue(Column& column, const TextValue& value) {
  switch (column.type().id) {
    case TypeId::kString:
    case TypeId::kBinary: column.append_bytes(value.text); break;
    case TypeId::kBoolean: column.append_bool(value.boolean); break;
    case TypeId::kFloat64: column.append_double(value.float64); break;
    case TypeId::kDecimal: column.append_decimal(value.decimal); break;
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: column.append_int64(value.int64); break;
  }
}

bool ParseTextValue(std::string_view text, Column& column) {
  TextValue value;
  if (!ParseTextValue(column.type(), text, value)) return false;
  AppendTextValue(column, value);
  return true;
}

}  // namespace sluice
