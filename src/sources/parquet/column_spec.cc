#include "sources/parquet/column_spec.h"

#include "core/error.h"

namespace sluice::parquet {

namespace {

using Kind = LogicalType::Kind;

[[noreturn]] void Unsupported(const std::string& column, const std::string& what) {
  throw InvalidInput("Parquet column '" + column + "' has " + what +
                     ", which Sluice cannot read: cast or drop the column when writing the file");
}

void SetUnit(ColumnSpec& spec, TimeUnit unit) {
  if (unit == TimeUnit::kMillis) spec.multiplier = 1000;
  if (unit == TimeUnit::kNanos) spec.divisor = 1000;
}

void MapDecimal(ColumnSpec& spec, const SchemaElement& element) {
  int precision = element.logical_type.kind == Kind::kDecimal ? element.logical_type.precision : element.precision;
  int scale = element.logical_type.kind == Kind::kDecimal ? element.logical_type.scale : element.scale;
  if (precision < 1 || precision > kMaxDecimalPrecision || scale < 0 || scale > precision) {
    Unsupported(element.name, "decimal precision " + std::to_string(precision) + " and scale " +
                                  std::to_string(scale) + " (supported: precision 1 to 38)");
  }
  if (spec.physical == PhysicalType::kFixedLenByteArray && spec.type_length > 16) {
    Unsupported(element.name, "a decimal stored in " + std::to_string(spec.type_length) + " bytes");
  }
  spec.field.type = DataType::Decimal(precision, scale);
  spec.kind = ValueKind::kDecimal;
}

void MapInteger(ColumnSpec& spec, const SchemaElement& element) {
  const LogicalType& logical = element.logical_type;
  std::optional<ConvertedType> converted = element.converted_type;
  spec.kind = ValueKind::kInt;
  spec.field.type.id = TypeId::kInt64;
  if (logical.kind == Kind::kInteger) {
    spec.unsigned_int = !logical.is_signed;
  } else if (converted >= ConvertedType::kUint8 && converted <= ConvertedType::kUint64) {
    spec.unsigned_int = true;
  }

  if (logical.kind == Kind::kDate || converted == ConvertedType::kDate) {
    spec.field.type.id = TypeId::kDate;
  } else if (logical.kind == Kind::kTimestamp) {
    spec.field.type.id = logical.adjusted_to_utc ? TypeId::kTimestampTz : TypeId::kTimestamp;
    SetUnit(spec, logical.unit);
  } else if (converted == ConvertedType::kTimestampMillis || converted == ConvertedType::kTimestampMicros) {
    // The converted types predate local timestamps and always mean instants.
    spec.field.type.id = TypeId::kTimestampTz;
    if (converted == ConvertedType::kTimestampMillis) spec.multiplier = 1000;
  } else if (logical.kind == Kind::kTime) {
    SetUnit(spec, logical.unit);
  } else if (converted == ConvertedType::kTimeMillis) {
    spec.multiplier = 1000;
  } else if (spec.unsigned_int && spec.physical == PhysicalType::kInt64) {
    // Values up to 2^64 - 1 do not fit int64.
    spec.field.type = DataType::Decimal(20, 0);
    spec.kind = ValueKind::kDecimal;
  }
}

ColumnSpec MapLeaf(const SchemaElement& element) {
  ColumnSpec spec;
  spec.field.name = element.name;
  spec.physical = *element.type;
  spec.type_length = element.type_length;
  Repetition repetition = element.repetition.value_or(Repetition::kOptional);
  if (repetition == Repetition::kRepeated) {
    Unsupported(element.name, "repeated values (a list)");
  }
  spec.max_definition = repetition == Repetition::kOptional ? 1 : 0;
  spec.field.nullable = spec.max_definition > 0;

  const LogicalType& logical = element.logical_type;
  bool is_decimal = logical.kind == Kind::kDecimal || element.converted_type == ConvertedType::kDecimal;
  switch (spec.physical) {
    case PhysicalType::kBoolean:
      spec.field.type.id = TypeId::kBoolean;
      spec.kind = ValueKind::kBool;
      break;
    case PhysicalType::kInt32:
    case PhysicalType::kInt64:
      if (is_decimal) MapDecimal(spec, element);
      else MapInteger(spec, element);
      break;
    case PhysicalType::kInt96:
      spec.field.type.id = TypeId::kTimestamp;
      spec.kind = ValueKind::kInt;
      break;
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
      spec.field.type.id = TypeId::kFloat64;
      spec.kind = ValueKind::kDouble;
      break;
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray: {
      if (spec.physical == PhysicalType::kFixedLenByteArray && spec.type_length <= 0) {
        Unsupported(element.name, "a FIXED_LEN_BYTE_ARRAY without a positive length");
      }
      if (is_decimal) {
        MapDecimal(spec, element);
        break;
      }
      bool text = logical.kind == Kind::kString || logical.kind == Kind::kEnum || logical.kind == Kind::kJson ||
                  element.converted_type == ConvertedType::kUtf8 ||
                  element.converted_type == ConvertedType::kEnum || element.converted_type == ConvertedType::kJson;
      spec.field.type.id = text && spec.physical == PhysicalType::kByteArray ? TypeId::kString : TypeId::kBinary;
      spec.kind = ValueKind::kBytes;
      break;
    }
    default:
      Unsupported(element.name, "physical type " + std::to_string(static_cast<int>(spec.physical)));
  }
  return spec;
}

}  // namespace

std::vector<ColumnSpec> MapParquetSchema(const FileMetaData& metadata) {
  const std::vector<SchemaElement>& schema = metadata.schema;
  size_t children = schema[0].num_children < 0 ? 0 : static_cast<size_t>(schema[0].num_children);
  if (children != schema.size() - 1) {
    // More elements than root children means some child is a group.
    for (size_t i = 1; i < schema.size(); ++i) {
      if (schema[i].num_children > 0 || !schema[i].type) {
        throw InvalidInput("Parquet column '" + schema[i].name +
                           "' is nested (a group of fields); Sluice reads flat columns only: "
                           "flatten it into top-level columns when writing the file");
      }
    }
    throw InvalidInput("corrupt Parquet footer: the root declares " + std::to_string(children) +
                       " columns but the schema lists " + std::to_string(schema.size() - 1));
  }
  std::vector<ColumnSpec> specs;
  for (size_t i = 1; i < schema.size(); ++i) {
    if (!schema[i].type || schema[i].num_children > 0) {
      throw InvalidInput("Parquet column '" + schema[i].name +
                         "' is nested (a group of fields); Sluice reads flat columns only: "
                         "flatten it into top-level columns when writing the file");
    }
    specs.push_back(MapLeaf(schema[i]));
  }
  return specs;
}

}  // namespace sluice::parquet
