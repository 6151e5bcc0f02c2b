#include "sources/json_schema_inference.h"

#include <algorithm>
#include <charconv>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sources/number_inference.h"

namespace sluice {

JsonSchemaInference::ColumnStats& JsonSchemaInference::column_for(const JsonMember& member) {
  std::string_view key = member.key;
  if (member.key_escaped) {
    scratch_.clear();
    AppendDecodedString(scratch_, member.key);
    key = scratch_;
  }
  auto [it, inserted] = index_.try_emplace(std::string(key), columns_.size());
  if (inserted) {
    columns_.emplace_back();
    columns_.back().name = std::string(key);
  }
  return columns_[it->second];
}

void JsonSchemaInference::add(const std::vector<JsonMember>& members) {
  for (const JsonMember& member : members) {
    ColumnStats& column = column_for(member);
    switch (member.kind) {
      case JsonKind::kNull: break;
      case JsonKind::kTrue:
      case JsonKind::kFalse: column.seen_boolean = true; break;
      case JsonKind::kNumber: add_number(column, member); break;
      case JsonKind::kString: add_string(column, member); break;
      case JsonKind::kObject:
      case JsonKind::kArray: column.seen_nested = true; break;
    }
  }
}

void JsonSchemaInference::add_number(ColumnStats& column, const JsonMember& member) {
  column.seen_number = true;
  if (member.exponent) {
    column.seen_float = true;
    return;
  }
  std::optional<ParsedDecimal> parsed = ParseDecimalText(member.text);
  if (!parsed) {
    column.seen_float = true;  // more than 38 digits
    return;
  }
  column.max_integer_digits = std::max(column.max_integer_digits, parsed->precision - parsed->scale);
  column.max_scale = std::max(column.max_scale, parsed->scale);
  column.max_significant_digits = std::max(column.max_significant_digits, parsed->significant_digits);
  if (!member.integral) {
    column.seen_fraction = true;
    return;
  }
  int64_t ignored;
  const char* end = member.text.data() + member.text.size();
  if (std::from_chars(member.text.data(), end, ignored).ec != std::errc()) column.seen_big_integer = true;
}

void JsonSchemaInference::add_string(ColumnStats& column, const JsonMember& member) {
  column.seen_string = true;
  if (!column.all_dates && !column.all_local_timestamps && !column.all_zoned_timestamps) return;

  std::string_view text = member.text;
  if (member.escaped) {
    scratch_.clear();
    AppendDecodedString(scratch_, member.text);
    text = scratch_;
  }
  if (column.all_dates && !ParseDate(text)) column.all_dates = false;
  if (column.all_local_timestamps || column.all_zoned_timestamps) {
    std::optional<ParsedTimestamp> timestamp = ParseTimestamp(text);
    if (!timestamp || timestamp->has_zone) column.all_local_timestamps = false;
    if (!timestamp || !timestamp->has_zone) column.all_zoned_timestamps = false;
  }
}

DataType JsonSchemaInference::number_type(const ColumnStats& column) const {
  if (column.seen_float) return {TypeId::kFloat64};
  if (column.seen_fraction) {
    DecimalSampleStats stats;
    stats.max_integer_digits = column.max_integer_digits;
    stats.max_scale = column.max_scale;
    stats.max_significant_digits = column.max_significant_digits;
    return InferDecimalType(stats, infer_decimals_);
  }
  if (column.seen_big_integer) return DataType::Decimal(kMaxDecimalPrecision, 0);
  return {TypeId::kInt64};
}

Schema JsonSchemaInference::schema() const {
  Schema schema;
  schema.reserve(columns_.size());
  for (const ColumnStats& column : columns_) {
    int kinds = column.seen_boolean + column.seen_number + column.seen_string + column.seen_nested;
    DataType type{TypeId::kString};
    if (kinds == 1 && column.seen_boolean) {
      type = {TypeId::kBoolean};
    } else if (kinds == 1 && column.seen_number) {
      type = number_type(column);
    } else if (kinds == 1 && column.seen_string) {
      if (column.all_dates) {
        type = {TypeId::kDate};
      } else if (column.all_local_timestamps) {
        type = {TypeId::kTimestamp};
      } else if (column.all_zoned_timestamps) {
        type = {TypeId::kTimestampTz};
      }
    }
    schema.push_back(Field{column.name, type, true});
  }
  return schema;
}

}  // namespace sluice
