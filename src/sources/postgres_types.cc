#include "sources/postgres_types.h"

#include "core/temporal.h"

namespace sluice {

namespace {

// OIDs of built-in types, fixed in the server's pg_type catalog.
constexpr uint32_t kBoolOid = 16;
constexpr uint32_t kByteaOid = 17;
constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kInt2Oid = 21;
constexpr uint32_t kInt4Oid = 23;
constexpr uint32_t kOidOid = 26;
constexpr uint32_t kFloat4Oid = 700;
constexpr uint32_t kFloat8Oid = 701;
constexpr uint32_t kDateOid = 1082;
constexpr uint32_t kTimestampOid = 1114;
constexpr uint32_t kTimestampTzOid = 1184;
constexpr uint32_t kNumericOid = 1700;

// A numeric type modifier is ((precision << 16) | scale) + 4, with the scale
// in the low 11 bits as a signed number (negative scales exist since 15).
constexpr int kVarHeaderSize = 4;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Removes a trailing " BC" and reports whether it was there.
bool StripEra(std::string_view& text) {
  if (text.size() > 3 && text.substr(text.size() - 3) == " BC") {
    text.remove_suffix(3);
    return true;
  }
  return false;
}

// The server counts 1 BC, 2 BC... with no year 0; astronomical years are
// 0, -1...
int64_t BeforeChristToDays(int64_t days) {
  CivilDate date = CivilFromDays(days);
  return DaysFromCivil(1 - date.year, date.month, date.day);
}

}  // namespace

std::optional<DataType> TypeFromPostgres(uint32_t type_oid, int type_modifier) {
  switch (type_oid) {
    case kBoolOid: return DataType{TypeId::kBoolean};
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return DataType{TypeId::kInt64};
    case kFloat4Oid:
    case kFloat8Oid: return DataType{TypeId::kFloat64};
    case kByteaOid: return DataType{TypeId::kBinary};
    case kDateOid: return DataType{TypeId::kDate};
    case kTimestampOid: return DataType{TypeId::kTimestamp};
    case kTimestampTzOid: return DataType{TypeId::kTimestampTz};
    case kNumericOid: {
      if (type_modifier < kVarHeaderSize) return std::nullopt;
      int packed = type_modifier - kVarHeaderSize;
      int precision = (packed >> 16) & 0xFFFF;
      int scale = ((packed & 0x7FF) ^ 1024) - 1024;
      if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
        return DataType{TypeId::kString};
      }
      return DataType::Decimal(precision, scale);
    }
    default: return DataType{TypeId::kString};
  }
}

bool ParsePostgresBytea(std::string_view text, std::string& out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  out.clear();
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    int high = HexDigit(text[i]);
    int low = HexDigit(text[i + 1]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<char>(high * 16 + low));
  }
  return true;
}

std::optional<int64_t> ParsePostgresDate(std::string_view text) {
  bool before_christ = StripEra(text);
  std::optional<int64_t> days = ParseDate(text);
  if (!days || !before_christ) return days;
  return BeforeChristToDays(*days);
}

std::optional<int64_t> ParsePostgresTimestamp(std::string_view text) {
  bool before_christ = StripEra(text);
  std::optional<ParsedTimestamp> timestamp = ParseTimestamp(text);
  if (!timestamp) return std::nullopt;
  int64_t micros = timestamp->micros_utc;
  if (!before_christ) return micros;

  int64_t days = micros / kMicrosPerDay - (micros % kMicrosPerDay < 0 ? 1 : 0);
  int64_t time_of_day = micros - days * kMicrosPerDay;
  return BeforeChristToDays(days) * kMicrosPerDay + time_of_day;
}

}  // namespace sluice
