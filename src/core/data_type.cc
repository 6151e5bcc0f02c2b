#include "core/data_type.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace sluice {

DataType DataType::Decimal(int precision, int scale) {
  if (precision < 1 || precision > kMaxDecimalPrecision) {
    throw InvalidOption("invalid decimal precision " + std::to_string(precision) +
                       ": use a precision from 1 to 38");
  }
  if (scale < 0 || scale > precision) {
    throw InvalidOption("invalid decimal scale " + std::to_string(scale) +
                       ": use a scale from 0 to the precision (" +
                       std::to_string(precision) + ")");
  }
  DataType type;
  type.id = TypeId::kDecimal;
  type.precision = static_cast<uint8_t>(precision);
  type.scale = static_cast<uint8_t>(scale);
  return type;
}

std::string TypeName(const DataType& type) {
  switch (type.id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt64: return "int64";
    case TypeId::kFloat64: return "float64";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(type.precision) + "," +
             std::to_string(type.scale) + ")";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampTz: return "timestamptz";
  }
  return "unknown";
}

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

DataType ParseDecimal(const std::string& name) {
  // name is "decimal(p,s)" or "decimal(p)" in lower case.
  size_t open = name.find('(');
  size_t close = name.rfind(')');
  if (open == std::string::npos || close != name.size() - 1) {
    throw InvalidOption("invalid decimal type '" + name +
                       "': write decimal(precision,scale), for example decimal(18,2)");
  }
  std::string inner = name.substr(open + 1, close - open - 1);
  size_t comma = inner.find(',');
  try {
    int precision = std::stoi(std::string(Trim(inner.substr(0, comma))));
    int scale = comma == std::string::npos
                    ? 0
                    : std::stoi(std::string(Trim(inner.substr(comma + 1))));
    return DataType::Decimal(precision, scale);
  } catch (const std::logic_error&) {
    throw InvalidOption("invalid decimal type '" + name +
                       "': write decimal(precision,scale), for example decimal(18,2)");
  }
}

}  // namespace

DataType ParseTypeName(std::string_view raw) {
  std::string name = Lower(Trim(raw));
  DataType type;
  if (name == "boolean" || name == "bool") {
    type.id = TypeId::kBoolean;
  } else if (name == "int64" || name == "bigint" || name == "int" || name == "integer") {
    type.id = TypeId::kInt64;
  } else if (name == "float64" || name == "double" || name == "float") {
    type.id = TypeId::kFloat64;
  } else if (name.rfind("decimal", 0) == 0 || name.rfind("numeric", 0) == 0) {
    if (name == "decimal" || name == "numeric") return DataType::Decimal(38, 0);
    return ParseDecimal(name);
  } else if (name == "string" || name == "text" || name == "varchar") {
    type.id = TypeId::kString;
  } else if (name == "binary" || name == "bytes" || name == "blob") {
    type.id = TypeId::kBinary;
  } else if (name == "date") {
    type.id = TypeId::kDate;
  } else if (name == "timestamp") {
    type.id = TypeId::kTimestamp;
  } else if (name == "timestamptz") {
    type.id = TypeId::kTimestampTz;
  } else {
    throw InvalidOption("unknown column type '" + std::string(raw) +
                       "': use boolean, int64, float64, decimal(p,s), string, "
                       "binary, date, timestamp or timestamptz");
  }
  return type;
}

Schema ParseSchemaSpec(std::string_view spec) {
  Schema schema;
  size_t i = 0;
  while (i < spec.size()) {
    while (i < spec.size() && spec[i] == ' ') ++i;

    std::string name;
    if (i < spec.size() && spec[i] == '"') {
      ++i;
      while (i < spec.size() && spec[i] != '"') name += spec[i++];
      if (i == spec.size()) {
        throw InvalidOption("invalid schema: unterminated quoted column name \"" + name + "\"");
      }
      ++i;
    } else {
      while (i < spec.size() && spec[i] != ':') name += spec[i++];
      name = std::string(Trim(name));
    }
    if (i >= spec.size() || spec[i] != ':') {
      throw InvalidOption("invalid schema entry for column '" + name +
                         "': write name:type, for example id:int64,price:decimal(10,2)");
    }
    ++i;

    // A type ends at a comma that is not inside decimal(...) parentheses.
    size_t start = i;
    int depth = 0;
    while (i < spec.size() && (spec[i] != ',' || depth > 0)) {
      if (spec[i] == '(') ++depth;
      if (spec[i] == ')') --depth;
      ++i;
    }
    Field field;
    field.name = name;
    field.type = ParseTypeName(spec.substr(start, i - start));
    schema.push_back(field);
    if (i < spec.size()) ++i;  // the comma
  }
  if (schema.empty()) {
    throw InvalidOption("invalid schema: it lists no columns; write name:type,name:type");
  }
  return schema;
}

}  // namespace sluice
