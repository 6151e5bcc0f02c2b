#include "sources/sqlite_type_mapping.h"

#include <cctype>
#include <string>

namespace sluice {

namespace {

std::string Normalize(std::string_view declared) {
  std::string text;
  bool pending_space = false;
  for (char c : declared) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !text.empty();
      continue;
    }
    if (pending_space) text.push_back(' ');
    pending_space = false;
    text.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return text;
}

bool Contains(const std::string& text, std::string_view word) {
  return text.find(word) != std::string::npos;
}

bool StartsWith(const std::string& text, std::string_view word) {
  return text.compare(0, word.size(), word) == 0;
}

// Parses "(p,s)" or "(p)" after NUMERIC or DECIMAL.
std::optional<DataType> ParsePrecisionScale(std::string_view rest) {
  int numbers[2] = {0, 0};
  int count = 0;
  size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') ++i;
  if (i >= rest.size() || rest[i] != '(') return std::nullopt;
  ++i;
  for (; count < 2; ++count) {
    while (i < rest.size() && rest[i] == ' ') ++i;
    if (i >= rest.size() || !std::isdigit(static_cast<unsigned char>(rest[i]))) return std::nullopt;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      numbers[count] = numbers[count] * 10 + (rest[i++] - '0');
      if (numbers[count] > 1000) return std::nullopt;
    }
    while (i < rest.size() && rest[i] == ' ') ++i;
    if (i < rest.size() && rest[i] == ',' && count == 0) {
      ++i;
      continue;
    }
    ++count;
    break;
  }
  if (i >= rest.size() || rest[i] != ')') return std::nullopt;
  int precision = numbers[0];
  int scale = numbers[1];
  if (precision < 1 || precision > kMaxDecimalPrecision || scale > precision) return std::nullopt;
  return DataType::Decimal(precision, scale);
}

}  // namespace

std::optional<DataType> TypeFromSqliteDeclaration(std::string_view declared) {
  std::string type = Normalize(declared);
  if (type.empty()) return std::nullopt;

  if (StartsWith(type, "BOOL")) return DataType{TypeId::kBoolean};
  if (type == "TIMESTAMPTZ" || type == "TIMESTAMP WITH TIME ZONE") return DataType{TypeId::kTimestampTz};
  if (StartsWith(type, "DATETIME") || StartsWith(type, "TIMESTAMP")) return DataType{TypeId::kTimestamp};
  if (type == "DATE") return DataType{TypeId::kDate};
  if (StartsWith(type, "NUMERIC") || StartsWith(type, "DECIMAL")) {
    return ParsePrecisionScale(std::string_view(type).substr(7));  // both names have 7 letters
  }

  if (Contains(type, "INT")) return DataType{TypeId::kInt64};
  if (Contains(type, "CHAR") || Contains(type, "CLOB") || Contains(type, "TEXT")) return DataType{TypeId::kString};
  if (Contains(type, "BLOB")) return DataType{TypeId::kBinary};
  if (Contains(type, "REAL") || Contains(type, "FLOA") || Contains(type, "DOUB")) return DataType{TypeId::kFloat64};
  return std::nullopt;
}

DataType TypeFromSqliteStorage(unsigned seen_bits) {
  if (seen_bits == kSqliteSawInteger) return {TypeId::kInt64};
  if (seen_bits == (kSqliteSawInteger | kSqliteSawFloat) || seen_bits == kSqliteSawFloat) return {TypeId::kFloat64};
  if (seen_bits == kSqliteSawBlob) return {TypeId::kBinary};
  return {TypeId::kString};
}

}  // namespace sluice
