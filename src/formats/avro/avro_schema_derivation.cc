#include "formats/avro/avro_schema_derivation.h"

#include "core/error.h"
#include "formats/avro/avro_names.h"

namespace sluice {

namespace {

using Json = nlohmann::ordered_json;

Json LogicalType(const char* base, const char* logical) {
  Json type;
  type["type"] = base;
  type["logicalType"] = logical;
  return type;
}

Json AvroTypeOf(const DataType& type) {
  switch (type.id) {
    case TypeId::kBoolean: return "boolean";
    case TypeId::kInt64: return "long";
    case TypeId::kFloat64: return "double";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "bytes";
    case TypeId::kDate: return LogicalType("int", "date");
    case TypeId::kTimestamp: return LogicalType("long", "local-timestamp-micros");
    case TypeId::kTimestampTz: return LogicalType("long", "timestamp-micros");
    case TypeId::kDecimal: {
      Json decimal = LogicalType("bytes", "decimal");
      decimal["precision"] = type.precision;
      decimal["scale"] = type.scale;
      return decimal;
    }
  }
  return "string";
}

}  // namespace

Json DeriveAvroSchema(const Schema& schema, const std::vector<std::string>& field_names,
                      const AvroWriteOptions& options) {
  if (!IsValidAvroName(options.record_name)) {
    throw InvalidOption("invalid Avro record name '" + options.record_name +
                       "': use letters, digits and '_', not starting with a digit");
  }
  if (!IsValidAvroNamespace(options.record_namespace)) {
    throw InvalidOption("invalid Avro namespace '" + options.record_namespace +
                       "': use dot-separated names of letters, digits and '_'");
  }

  Json record;
  record["type"] = "record";
  record["name"] = options.record_name;
  if (!options.record_namespace.empty()) record["namespace"] = options.record_namespace;

  Json fields = Json::array();
  for (size_t i = 0; i < schema.size(); ++i) {
    Json field;
    field["name"] = field_names[i];
    Json type = AvroTypeOf(schema[i].type);
    if (schema[i].nullable) {
      field["type"] = Json::array({"null", type});
      field["default"] = nullptr;
    } else {
      field["type"] = type;
    }
    if (field_names[i] != schema[i].name) field[kAvroOriginalNameProperty] = schema[i].name;
    fields.push_back(std::move(field));
  }
  record["fields"] = std::move(fields);
  return record;
}

}  // namespace sluice
