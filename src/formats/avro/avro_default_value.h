// Encodes a field's JSON default value, used for schema fields that no data
// column fills.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "formats/avro/avro_schema.h"

namespace sluice {

// Appends the binary encoding of `value` as type `node`, following the
// specification's default-value table: bytes and fixed are JSON strings whose
// code points 0-255 are the bytes, an enum is its symbol, and a union's
// default belongs to the union's first branch. Throws InvalidInput naming
// `field` when the value does not match the type.
void AppendAvroDefault(std::string& out, const AvroNode& node, const nlohmann::ordered_json& value,
                       const std::string& field);

}  // namespace sluice
