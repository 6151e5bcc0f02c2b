#include "formats/avro/avro_resolution.h"

#include <optional>

#include "core/error.h"
#include "formats/avro/avro_default_value.h"

namespace sluice {

namespace {

// Largest decimal precision that `size` bytes of two's complement hold:
// floor(log10(2^(8 * size - 1) - 1)).
int MaxFixedPrecision(size_t size) {
  if (size == 0) return 0;
  if (size >= 16) return 38;
  long double max = 1;
  for (size_t i = 0; i < 8 * size - 1; ++i) max *= 2;
  int digits = 0;
  for (long double limit = 10; limit <= max - 1; limit *= 10) ++digits;
  return digits;
}

bool IsUnannotated(const AvroNode& node) { return node.logical_type.empty(); }

// The encoding that stores a column of `type` as `target`, or nullopt when the
// resolution rules do not allow it. Logical types must agree, except that a
// target without a logical type takes the column's underlying value.
std::optional<AvroFieldPlan> Accept(const DataType& type, const AvroNode& target) {
  AvroFieldPlan plan;
  auto with = [&plan](AvroEncoding encoding) {
    plan.encoding = encoding;
    return std::optional<AvroFieldPlan>(plan);
  };
  const std::string& logical = target.logical_type;

  switch (type.id) {
    case TypeId::kBoolean:
      if (target.type == AvroType::kBoolean) return with(AvroEncoding::kBoolean);
      break;
    case TypeId::kInt64:
      // A long reads as long, float or double; int would narrow it.
      if (target.type == AvroType::kLong && IsUnannotated(target)) return with(AvroEncoding::kLong);
      if (target.type == AvroType::kFloat) return with(AvroEncoding::kLongAsFloat);
      if (target.type == AvroType::kDouble) return with(AvroEncoding::kLongAsDouble);
      break;
    case TypeId::kFloat64:
      if (target.type == AvroType::kDouble) return with(AvroEncoding::kDouble);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      // string and bytes resolve to each other.
      // NOTE: binary written to a string field is not checked for valid UTF-8,
      // which Avro strings require; readers may reject such values.
      if ((target.type == AvroType::kString || target.type == AvroType::kBytes) && IsUnannotated(target)) {
        return with(AvroEncoding::kBytes);
      }
      break;
    case TypeId::kDate:
      if (target.type == AvroType::kInt && (logical == "date" || logical.empty())) return with(AvroEncoding::kDateAsInt);
      if (target.type == AvroType::kLong && logical.empty()) return with(AvroEncoding::kLong);
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      bool local = type.id == TypeId::kTimestamp;
      std::string prefix = local ? "local-timestamp-" : "timestamp-";
      if (target.type != AvroType::kLong) break;
      if (logical.empty() || logical == prefix + "micros") return with(AvroEncoding::kLong);
      if (logical == prefix + "millis") return with(AvroEncoding::kMicrosAsMillis);
      break;
    }
    case TypeId::kDecimal:
      if (logical != "decimal" || target.scale != type.scale || target.precision < type.precision) break;
      if (target.type == AvroType::kBytes) return with(AvroEncoding::kDecimalBytes);
      if (target.type == AvroType::kFixed && MaxFixedPrecision(target.fixed_size) >= type.precision) {
        plan.fixed_size = target.fixed_size;
        return with(AvroEncoding::kDecimalFixed);
      }
      break;
  }
  return std::nullopt;
}

// Resolves a column against a field type that may be a union: the first
// branch that accepts the column's type takes its values.
std::optional<AvroFieldPlan> AcceptField(const Field& column, const AvroNode& target) {
  if (target.type != AvroType::kUnion) return Accept(column.type, target);

  std::optional<AvroFieldPlan> plan;
  int64_t null_branch = -1;
  for (size_t i = 0; i < target.branches.size(); ++i) {
    if (target.branches[i]->type == AvroType::kNull && null_branch < 0) null_branch = static_cast<int64_t>(i);
    if (!plan) {
      plan = Accept(column.type, *target.branches[i]);
      if (plan) plan->value_branch = static_cast<int64_t>(i);
    }
  }
  if (plan) {
    plan->in_union = true;
    plan->null_branch = null_branch;
  }
  return plan;
}

bool Matches(const AvroField& field, const std::string& name) {
  if (field.name == name) return true;
  for (const std::string& alias : field.aliases) {
    if (alias == name) return true;
  }
  return false;
}

int FindColumn(const AvroField& field, const Schema& data, const std::vector<std::string>& avro_names) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (Matches(field, data[i].name)) return static_cast<int>(i);
  }
  for (size_t i = 0; i < data.size(); ++i) {
    if (Matches(field, avro_names[i])) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::vector<AvroFieldPlan> ResolveAvroFields(const Schema& data, const std::vector<std::string>& column_avro_names,
                                             const AvroSchema& target, const std::string& origin) {
  const AvroNode& record = target.root();
  if (record.type != AvroType::kRecord) {
    throw InvalidOption("the Avro schema in " + origin + " is a " + DescribeAvroType(record) +
                       ": it must be a record with one field per column");
  }

  std::vector<AvroFieldPlan> plans;
  for (const AvroField& field : record.fields) {
    int column = FindColumn(field, data, column_avro_names);
    if (column < 0) {
      if (!field.has_default) {
        throw InvalidInput("field '" + field.name + "' of the Avro schema in " + origin +
                           " has no default and no column of that name: add a \"default\" or a column '" +
                           field.name + "'");
      }
      AvroFieldPlan plan;
      plan.name = field.name;
      AppendAvroDefault(plan.default_bytes, *field.type, field.default_value, field.name);
      plans.push_back(std::move(plan));
      continue;
    }

    std::optional<AvroFieldPlan> plan = AcceptField(data[column], *field.type);
    if (!plan) {
      throw InvalidInput("column '" + data[column].name + "' of type " + TypeName(data[column].type) +
                         " cannot be written to field '" + field.name + "' of type " +
                         DescribeAvroType(*field.type) + " in " + origin +
                         ": change the field's type in the schema file or cast the column");
    }
    plan->name = field.name;
    plan->column = column;
    plans.push_back(std::move(*plan));
  }
  return plans;
}

}  // namespace sluice
