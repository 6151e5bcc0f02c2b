#include "sources/type_inference.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "core/temporal.h"
#include "sources/number_inference.h"

namespace sluice {

namespace {

enum TextKind : uint32_t {
  kBooleanKind = 1u << 0,
  kIntegerKind = 1u << 1,     // fits int64
  kBigIntegerKind = 1u << 2,  // beyond int64, at most 38 digits
  kDecimalKind = 1u << 3,
  kFloatKind = 1u << 4,
  kDateKind = 1u << 5,
  kTimestampKind = 1u << 6,
  kTimestampTzKind = 1u << 7,
  kStringKind = 1u << 8,
};

constexpr uint32_t kNumericKinds = kIntegerKind | kBigIntegerKind | kDecimalKind | kFloatKind;
constexpr int64_t kMaxExactDouble = int64_t{1} << 53;

struct TextClass {
  uint32_t kind = kStringKind;
  int integer_digits = 0;  // significant digits before the point
  int scale = 0;
  int significant_digits = 0;  // digits without leading zeros
  bool beyond_float = false;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoreCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool ParsesAsDouble(std::string_view text) {
  double value;
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end;
}

bool IsSpecialFloat(std::string_view text) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  return EqualsIgnoreCase(text, "nan") || EqualsIgnoreCase(text, "inf") ||
         EqualsIgnoreCase(text, "infinity");
}

TextClass ClassifyInteger(std::string_view text, int digits) {
  TextClass result;
  result.integer_digits = digits;
  int64_t value;
  auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  if (parsed.ec == std::errc()) {
    result.kind = kIntegerKind;
    result.beyond_float = value > kMaxExactDouble || value < -kMaxExactDouble;
  } else if (digits <= 38) {
    result.kind = kBigIntegerKind;
    result.beyond_float = true;
  }
  return result;
}

// Classifies -?digits[.digits][(e|E)[+-]digits]; anything else is a string.
TextClass ClassifyNumber(std::string_view text) {
  TextClass result;
  size_t n = text.size();
  size_t i = text[0] == '-' ? 1 : 0;
  size_t integer_begin = i;
  while (i < n && IsDigit(text[i])) ++i;
  int integer_digits = static_cast<int>(i - integer_begin);
  if (integer_digits == 0) return result;
  if (integer_digits > 1 && text[integer_begin] == '0') return result;  // leading zero
  if (i == n) return ClassifyInteger(text, integer_digits);

  bool is_float = false;
  if (text[i] == '.') {
    size_t fraction_begin = ++i;
    while (i < n && IsDigit(text[i])) ++i;
    result.scale = static_cast<int>(i - fraction_begin);
    if (result.scale == 0) return result;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_begin = i;
    while (i < n && IsDigit(text[i])) ++i;
    if (i == exponent_begin) return result;
    is_float = true;
  }
  if (i != n) return result;

  bool zero_integer_part = integer_digits == 1 && text[integer_begin] == '0';
  result.integer_digits = zero_integer_part ? 0 : integer_digits;
  result.significant_digits = result.integer_digits + result.scale;
  if (zero_integer_part) {
    size_t fraction = integer_begin + 2;
    while (fraction < n && text[fraction] == '0' && result.significant_digits > 0) {
      --result.significant_digits;
      ++fraction;
    }
  }
  if (!is_float && result.integer_digits + result.scale <= kMaxDecimalPrecision) {
    result.kind = kDecimalKind;
  } else if (ParsesAsDouble(text)) {
    result.kind = kFloatKind;
  }
  return result;
}

TextClass ClassifyTemporal(std::string_view text) {
  TextClass result;
  if (text.size() == 10) {
    if (ParseDate(text)) result.kind = kDateKind;
    return result;
  }
  std::optional<ParsedTimestamp> timestamp = ParseTimestamp(text);
  if (timestamp) result.kind = timestamp->has_zone ? kTimestampTzKind : kTimestampKind;
  return result;
}

TextClass Classify(std::string_view text) {
  char first = text[0];
  if (text.size() >= 10 && text[4] == '-' && IsDigit(first)) return ClassifyTemporal(text);
  if (IsDigit(first) || first == '-') {
    TextClass number = ClassifyNumber(text);
    if (number.kind == kStringKind && IsSpecialFloat(text)) number.kind = kFloatKind;
    return number;
  }
  TextClass result;
  if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "false")) {
    result.kind = kBooleanKind;
  } else if (IsSpecialFloat(text)) {
    result.kind = kFloatKind;
  }
  return result;
}

}  // namespace

void TextTypeInference::add(std::string_view text) {
  if (text.empty() || (kinds_ & kStringKind)) return;
  TextClass text_class = Classify(text);
  kinds_ |= text_class.kind;
  if (text_class.integer_digits > max_integer_digits_) max_integer_digits_ = text_class.integer_digits;
  if (text_class.scale > max_scale_) max_scale_ = text_class.scale;
  if (text_class.significant_digits > max_significant_digits_) {
    max_significant_digits_ = text_class.significant_digits;
  }
  if (text_class.beyond_float) integer_beyond_float_ = true;
}

DataType TextTypeInference::type() const {
  DataType string_type{TypeId::kString};
  if (kinds_ == 0 || (kinds_ & kStringKind)) return string_type;
  if (kinds_ == kBooleanKind) return DataType{TypeId::kBoolean};
  if (kinds_ == kDateKind) return DataType{TypeId::kDate};
  if (kinds_ == kTimestampKind) return DataType{TypeId::kTimestamp};
  if (kinds_ == kTimestampTzKind) return DataType{TypeId::kTimestampTz};
  if (kinds_ & ~kNumericKinds) return string_type;

  DataType float_type = integer_beyond_float_ ? string_type : DataType{TypeId::kFloat64};
  if (kinds_ & kFloatKind) return float_type;
  if (kinds_ & kDecimalKind) {
    DecimalSampleStats stats;
    stats.max_integer_digits = max_integer_digits_;
    stats.max_scale = max_scale_;
    stats.max_significant_digits = max_significant_digits_;
    DataType type = InferDecimalType(stats, infer_decimals_);
    return type.id == TypeId::kFloat64 ? float_type : type;
  }
  if (kinds_ & kBigIntegerKind) return DataType::Decimal(kMaxDecimalPrecision, 0);
  return DataType{TypeId::kInt64};
}

}  // namespace sluice
