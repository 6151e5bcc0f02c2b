// PostgreSQL column types and the text form of their values, as the server
// sends them with DateStyle ISO, TimeZone UTC and bytea_output hex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/data_type.h"

namespace sluice {

// Maps a result column's type OID and type modifier to a column type:
//   bool                                    boolean
//   int2, int4, int8, oid                   int64
//   float4, float8                          float64
//   numeric(p,s) with p <= 38 and s >= 0    decimal(p,s)
//   numeric without precision               nullopt: decided from sample values
//   bytea                                   binary
//   date                                    date
//   timestamp                               timestamp
//   timestamptz                             timestamptz
//   everything else (text, varchar, bpchar, name, uuid, json, jsonb, time,
//   interval, arrays, numeric wider than 38 digits...)  string
std::optional<DataType> TypeFromPostgres(uint32_t type_oid, int type_modifier);

// Decodes bytea in hex output format ("\x0aff").
bool ParsePostgresBytea(std::string_view text, std::string& out);

// Parses an ISO date, accepting the " BC" suffix the server writes for
// years before 1 AD. 'infinity' and years past 9999 return nullopt.
std::optional<int64_t> ParsePostgresDate(std::string_view text);

// Parses an ISO timestamp ("1969-12-31 23:59:59.5", with "+00" for
// timestamptz) to microseconds, accepting the " BC" suffix. Offsets are
// applied, so the result is UTC when the text has an offset.
std::optional<int64_t> ParsePostgresTimestamp(std::string_view text);

}  // namespace sluice
