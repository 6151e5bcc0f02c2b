// How the reader turns one Parquet leaf column into a Sluice column: the
// Sluice type chosen from the physical type and its annotations, and the
// conversion each physical value needs.
//
//   BOOLEAN                          boolean
//   INT32, INT64 (also unsigned)     int64; UINT_64 becomes decimal(20,0)
//   INT32 DATE                       date
//   INT32/INT64/FLBA/BYTE_ARRAY DECIMAL  decimal(p,s), p <= 38
//   INT64 TIMESTAMP MILLIS/MICROS/NANOS  timestamp or timestamptz (isAdjustedToUTC), in microseconds
//   INT96                            timestamp (Julian day and nanoseconds of day)
//   TIME (any unit)                  int64 microseconds of the day
//   FLOAT, DOUBLE                    float64
//   BYTE_ARRAY STRING/ENUM/JSON      string; other BYTE_ARRAY and FLBA binary
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/data_type.h"
#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {

// The vector a decoded value lands in.
enum class ValueKind { kBool, kInt, kDouble, kDecimal, kBytes };

struct ColumnSpec {
  Field field;
  PhysicalType physical = PhysicalType::kInt64;
  int type_length = 0;          // FIXED_LEN_BYTE_ARRAY width
  int max_definition = 0;       // 1 for OPTIONAL, 0 for REQUIRED
  ValueKind kind = ValueKind::kInt;
  bool unsigned_int = false;    // INT32/INT64 annotated as unsigned
  int64_t multiplier = 1;       // integer value * multiplier / divisor (floor) = Sluice value
  int64_t divisor = 1;
};

// Maps the file schema's leaves to columns. Throws InvalidInput naming the
// column for nested groups, repeated fields, and types without a mapping.
std::vector<ColumnSpec> MapParquetSchema(const FileMetaData& metadata);

}  // namespace sluice::parquet
