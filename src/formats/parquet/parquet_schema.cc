#include "formats/parquet/parquet_schema.h"

namespace sluice::parquet {

int DecimalByteWidth(int precision) {
  unsigned __int128 max_unscaled = 1;
  for (int i = 0; i < precision; ++i) max_unscaled *= 10;
  max_unscaled -= 1;
  for (int width = 1; width < 16; ++width) {
    unsigned __int128 limit = static_cast<unsigned __int128>(1) << (8 * width - 1);
    if (max_unscaled < limit) return width;
  }
  return 16;
}

SchemaElement LeafElement(const Field& field) {
  SchemaElement element;
  element.name = field.name;
  element.repetition = field.nullable ? Repetition::kOptional : Repetition::kRequired;
  LogicalType& logical = element.logical_type;
  switch (field.type.id) {
    case TypeId::kBoolean:
      element.type = PhysicalType::kBoolean;
      break;
    case TypeId::kInt64:
      element.type = PhysicalType::kInt64;
      break;
    case TypeId::kFloat64:
      element.type = PhysicalType::kDouble;
      break;
    case TypeId::kDecimal: {
      int precision = field.type.precision;
      if (precision <= 9) {
        element.type = PhysicalType::kInt32;
      } else if (precision <= 18) {
        element.type = PhysicalType::kInt64;
      } else {
        element.type = PhysicalType::kFixedLenByteArray;
        element.type_length = DecimalByteWidth(precision);
      }
      element.converted_type = ConvertedType::kDecimal;
      element.precision = precision;
      element.scale = field.type.scale;
      logical.kind = LogicalType::Kind::kDecimal;
      logical.precision = precision;
      logical.scale = field.type.scale;
      break;
    }
    case TypeId::kString:
      element.type = PhysicalType::kByteArray;
      element.converted_type = ConvertedType::kUtf8;
      logical.kind = LogicalType::Kind::kString;
      break;
    case TypeId::kBinary:
      element.type = PhysicalType::kByteArray;
      break;
    case TypeId::kDate:
      element.type = PhysicalType::kInt32;
      element.converted_type = ConvertedType::kDate;
      logical.kind = LogicalType::Kind::kDate;
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      element.type = PhysicalType::kInt64;
      logical.kind = LogicalType::Kind::kTimestamp;
      logical.unit = TimeUnit::kMicros;
      logical.adjusted_to_utc = field.type.id == TypeId::kTimestampTz;
      // TIMESTAMP_MICROS means an instant to old readers, so only the UTC
      // type carries it; a local timestamp would otherwise be read as UTC.
      if (logical.adjusted_to_utc) element.converted_type = ConvertedType::kTimestampMicros;
      break;
  }
  return element;
}

std::vector<SchemaElement> FileSchema(const Schema& schema) {
  std::vector<SchemaElement> elements;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(schema.size());
  elements.push_back(root);
  for (const Field& field : schema) elements.push_back(LeafElement(field));
  return elements;
}

}  // namespace sluice::parquet
