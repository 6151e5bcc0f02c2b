// Schema resolution: maps a dataset's columns onto the fields of a target
// Avro record, following the specification's resolution rules with the
// dataset as the writer and the target as the reader.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/data_type.h"
#include "formats/avro/avro_schema.h"

namespace sluice {

// How a column's value becomes the field's Avro value.
enum class AvroEncoding : uint8_t {
  kBoolean,
  kLong,            // int64, timestamp micros, or a date promoted to long
  kLongAsFloat,     // int64 promoted to float
  kLongAsDouble,    // int64 promoted to double
  kDouble,
  kDateAsInt,       // days; must fit in 32 bits
  kMicrosAsMillis,  // timestamps into timestamp-millis fields, floored
  kBytes,           // string or binary as Avro string or bytes
  kDecimalBytes,
  kDecimalFixed,
};

struct AvroFieldPlan {
  std::string name;              // the Avro field name
  int column = -1;               // the data column, or -1 when the default fills the field
  std::string default_bytes;     // the encoded default, when column is -1
  AvroEncoding encoding = AvroEncoding::kLong;
  bool in_union = false;         // the field's type is a union: write a branch index first
  int64_t null_branch = -1;      // index of "null" in the union, -1 when there is none
  int64_t value_branch = 0;      // index of the branch that holds values
  size_t fixed_size = 0;         // kDecimalFixed
};

// Resolves `data` against the record `target`. A field matches the column
// whose name or Avro-safe name (`column_avro_names`) equals the field's name
// or one of its aliases. Columns without a field are not written. Throws
// InvalidInput, before any row is written, when a field has neither a column
// nor a default, or when a column's type cannot be resolved to its field's
// type (the message names the field and both types).
std::vector<AvroFieldPlan> ResolveAvroFields(const Schema& data, const std::vector<std::string>& column_avro_names,
                                             const AvroSchema& target, const std::string& origin);

}  // namespace sluice
