// The writer schema derived from a dataset's columns when no schema file is
// given.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data_type.h"
#include "sluice/options.h"

namespace sluice {

// Returns a record schema with one field per column, in column order, named
// `field_names` (from SanitizeAvroNames). Types:
//   boolean -> "boolean", int64 -> "long", float64 -> "double",
//   string -> "string", binary -> "bytes",
//   decimal(p,s) -> bytes with logicalType decimal, precision p, scale s,
//   date -> int with logicalType date,
//   timestamp -> long with logicalType local-timestamp-micros,
//   timestamptz -> long with logicalType timestamp-micros.
// A nullable column becomes ["null", T] with default null. A renamed
// column keeps its name in the field property "sluice.originalName".
// Throws InvalidInput when the record name or namespace is not a valid Avro
// name.
nlohmann::ordered_json DeriveAvroSchema(const Schema& schema, const std::vector<std::string>& field_names,
                                        const AvroWriteOptions& options);

}  // namespace sluice
