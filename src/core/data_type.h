// Column types shared by every source and writer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class TypeId : uint8_t {
  kBoolean,
  kInt64,
  kFloat64,
  kDecimal,      // unscaled __int128 value with precision (1..38) and scale
  kString,       // UTF-8 text
  kBinary,       // raw bytes
  kDate,         // days since 1970-01-01
  kTimestamp,    // local date-time without zone: microseconds since 1970-01-01T00:00:00
  kTimestampTz,  // an instant: microseconds since the Unix epoch, UTC
};

struct DataType {
  TypeId id = TypeId::kString;
  uint8_t precision = 0;  // decimals only
  uint8_t scale = 0;      // decimals only

  static DataType Decimal(int precision, int scale);
  bool operator==(const DataType&) const = default;
};

constexpr int kMaxDecimalPrecision = 38;

// Every column may hold nulls; `nullable` is false only when the source
// guarantees there are none (a NOT NULL database column).
struct Field {
  std::string name;
  DataType type;
  bool nullable = true;
};

using Schema = std::vector<Field>;

// Returns the type's name as written in schemas and messages:
// "boolean", "int64", "float64", "decimal(18,2)", "string", "binary",
// "date", "timestamp", "timestamptz".
std::string TypeName(const DataType& type);

// Parses a name produced by TypeName (case-insensitive, also accepting the
// aliases "bool", "bigint", "double", "text", "bytes" and "decimal(p,s)").
// Throws InvalidInput naming the accepted names.
DataType ParseTypeName(std::string_view name);

// Parses an explicit schema: "name:type,name:type". Names may be quoted with
// double quotes to hold ',' or ':'.
Schema ParseSchemaSpec(std::string_view spec);

}  // namespace sluice
