#include "formats/avro/avro_default_value.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "formats/avro/avro_encoding.h"

namespace sluice {

namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void Mismatch(const AvroNode& node, const Json& value, const std::string& field) {
  throw InvalidOption("default value " + value.dump() + " of field '" + field + "' does not match its type " +
                     DescribeAvroType(node) + ": fix the default in the schema file");
}

// Converts a JSON string of code points 0-255 (the specification's form for
// bytes defaults) to raw bytes.
std::string DefaultBytes(const AvroNode& node, const Json& value, const std::string& field) {
  if (!value.is_string()) Mismatch(node, value, field);
  const std::string& utf8 = value.get_ref<const std::string&>();
  std::string bytes;
  for (size_t i = 0; i < utf8.size(); ++i) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    if (lead < 0x80) {
      bytes += static_cast<char>(lead);
    } else if ((lead == 0xC2 || lead == 0xC3) && i + 1 < utf8.size()) {
      bytes += static_cast<char>(((lead & 0x03) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F));
    } else {
      Mismatch(node, value, field);
    }
  }
  return bytes;
}

double DefaultNumber(const AvroNode& node, const Json& value, const std::string& field) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    // Java writes non-finite defaults as these strings.
    const std::string& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  Mismatch(node, value, field);
}

int64_t DefaultInteger(const AvroNode& node, const Json& value, const std::string& field, int64_t min,
                       int64_t max) {
  if (!value.is_number_integer()) Mismatch(node, value, field);
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(max)) Mismatch(node, value, field);
  int64_t number = value.get<int64_t>();
  if (number < min || number > max) Mismatch(node, value, field);
  return number;
}

void AppendRecordDefault(std::string& out, const AvroNode& node, const Json& value, const std::string& field) {
  if (!value.is_object()) Mismatch(node, value, field);
  for (const AvroField& member : node.fields) {
    std::string path = field + "." + member.name;
    if (value.contains(member.name)) {
      AppendAvroDefault(out, *member.type, value[member.name], path);
    } else if (member.has_default) {
      AppendAvroDefault(out, *member.type, member.default_value, path);
    } else {
      Mismatch(node, value, field);
    }
  }
}

}  // namespace

void AppendAvroDefault(std::string& out, const AvroNode& node, const Json& value, const std::string& field) {
  switch (node.type) {
    case AvroType::kNull:
      if (!value.is_null()) Mismatch(node, value, field);
      return;
    case AvroType::kBoolean:
      if (!value.is_boolean()) Mismatch(node, value, field);
      out += value.get<bool>() ? '\1' : '\0';
      return;
    case AvroType::kInt:
      AppendAvroLong(out, DefaultInteger(node, value, field, INT32_MIN, INT32_MAX));
      return;
    case AvroType::kLong:
      AppendAvroLong(out, DefaultInteger(node, value, field, INT64_MIN, INT64_MAX));
      return;
    case AvroType::kFloat:
      AppendAvroFloat(out, static_cast<float>(DefaultNumber(node, value, field)));
      return;
    case AvroType::kDouble:
      AppendAvroDouble(out, DefaultNumber(node, value, field));
      return;
    case AvroType::kBytes:
      AppendAvroBytes(out, DefaultBytes(node, value, field));
      return;
    case AvroType::kString:
      if (!value.is_string()) Mismatch(node, value, field);
      AppendAvroBytes(out, value.get_ref<const std::string&>());
      return;
    case AvroType::kFixed: {
      std::string bytes = DefaultBytes(node, value, field);
      if (bytes.size() != node.fixed_size) Mismatch(node, value, field);
      out += bytes;
      return;
    }
    case AvroType::kEnum:
      for (size_t i = 0; i < node.symbols.size(); ++i) {
        if (value.is_string() && value.get_ref<const std::string&>() == node.symbols[i]) {
          AppendAvroLong(out, static_cast<int64_t>(i));
          return;
        }
      }
      Mismatch(node, value, field);
    case AvroType::kArray:
      if (!value.is_array()) Mismatch(node, value, field);
      if (!value.empty()) {
        AppendAvroLong(out, static_cast<int64_t>(value.size()));
        for (const Json& item : value) AppendAvroDefault(out, *node.items, item, field);
      }
      AppendAvroLong(out, 0);
      return;
    case AvroType::kMap:
      if (!value.is_object()) Mismatch(node, value, field);
      if (!value.empty()) {
        AppendAvroLong(out, static_cast<int64_t>(value.size()));
        for (const auto& [key, item] : value.items()) {
          AppendAvroBytes(out, key);
          AppendAvroDefault(out, *node.values, item, field);
        }
      }
      AppendAvroLong(out, 0);
      return;
    case AvroType::kUnion:
      if (node.branches.empty()) Mismatch(node, value, field);
      AppendAvroLong(out, 0);
      AppendAvroDefault(out, *node.branches[0], value, field);
      return;
    case AvroType::kRecord:
      AppendRecordDefault(out, node, value, field);
      return;
  }
}

}  // namespace sluice
