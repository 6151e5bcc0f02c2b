// How each Sluice column type is stored in Parquet (the writer's mapping).
//
//   boolean      BOOLEAN
//   int64        INT64
//   float64      DOUBLE
//   decimal(p,s) INT32 (p <= 9), INT64 (p <= 18) or FIXED_LEN_BYTE_ARRAY of the
//                fewest bytes that hold 10^p - 1, with DECIMAL(p,s)
//   string       BYTE_ARRAY, STRING
//   binary       BYTE_ARRAY
//   date         INT32, DATE
//   timestamp    INT64, TIMESTAMP(MICROS, isAdjustedToUTC=false)
//   timestamptz  INT64, TIMESTAMP(MICROS, isAdjustedToUTC=true)
#pragma once

#include "core/data_type.h"
#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {

// The leaf schema element of a field: OPTIONAL unless the field is not nullable.
SchemaElement LeafElement(const Field& field);

// Bytes of the FIXED_LEN_BYTE_ARRAY that holds any decimal of `precision`
// digits as a signed big-endian integer.
int DecimalByteWidth(int precision);

// The Parquet file schema: the root group, then one leaf per field.
std::vector<SchemaElement> FileSchema(const Schema& schema);

}  // namespace sluice::parquet
