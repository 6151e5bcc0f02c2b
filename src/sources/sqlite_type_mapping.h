// Maps SQLite declared column types and storage classes to Sluice types.
#pragma once

#include <optional>
#include <string_view>

#include "core/data_type.h"

namespace sluice {

// Maps a declared type (as in CREATE TABLE) to a column type, checking the
// specific names first and then SQLite's affinity rules:
//   BOOL...                                   boolean
//   DATETIME, TIMESTAMP                       timestamp
//   TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE     timestamptz
//   DATE                                      date
//   NUMERIC(p,s), DECIMAL(p,s) (p <= 38)      decimal(p,s)
//   ...INT...                                 int64
//   ...CHAR..., ...CLOB..., ...TEXT...        string
//   ...BLOB...                                binary
//   ...REAL..., ...FLOA..., ...DOUB...        float64
// Returns nullopt for anything else (no declared type, NUMERIC without
// precision, names such as JSON or UUID): the caller then looks at the
// storage classes of sample values.
std::optional<DataType> TypeFromSqliteDeclaration(std::string_view declared);

// Storage classes seen in a column's sample values, as a set of bits.
enum SqliteStorageBits : unsigned {
  kSqliteSawInteger = 1,
  kSqliteSawFloat = 2,
  kSqliteSawText = 4,
  kSqliteSawBlob = 8,
};

// Integers only: int64; integers and floats: float64; blobs only: binary;
// anything else (text, mixtures, only nulls): string.
DataType TypeFromSqliteStorage(unsigned seen_bits);

}  // namespace sluice
