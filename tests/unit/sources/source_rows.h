// Test helpers that turn a Source's batches into comparable text rows.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/decimal.h"
#include "core/temporal.h"
#include "sources/source.h"

namespace sluice::testing {

// One cell as text: "null", doubles as std::to_string writes them,
// decimals with their scale, binary as 0x hex,
// timestamps in ISO 8601 (instants with Z).
inline std::string CellText(const Column& column, size_t row) {
  if (column.is_null(row)) return "null";
  std::string text;
  switch (column.type().id) {
    case TypeId::kBoolean: return column.bool_at(row) ? "true" : "false";
    case TypeId::kInt64: return std::to_string(column.int64_at(row));
    case TypeId::kFloat64: return std::to_string(column.double_at(row));
    case TypeId::kDecimal: return FormatDecimal(column.decimal_at(row), column.type().scale);
    case TypeId::kString: return std::string(column.bytes_at(row));
    case TypeId::kBinary:
      for (unsigned char c : column.bytes_at(row)) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", c);
        text += hex;
      }
      return "0x" + text;
    case TypeId::kDate: AppendDate(text, column.int64_at(row)); return text;
    case TypeId::kTimestamp: AppendTimestamp(text, column.int64_at(row), 'T'); return text;
    case TypeId::kTimestampTz: AppendTimestamp(text, column.int64_at(row), 'T'); return text + "Z";
  }
  return text;
}

// Reads the whole source; each row is its cells joined by '|'. Stores the
// number of batches in `batches` when given.
inline std::vector<std::string> ReadRows(Source& source, size_t* batches = nullptr) {
  Batch batch(source.schema());
  std::vector<std::string> rows;
  size_t count = 0;
  while (source.next_batch(batch)) {
    ++count;
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::string row;
      for (size_t c = 0; c < batch.num_columns(); ++c) row += (c ? "|" : "") + CellText(batch.column(c), r);
      rows.push_back(row);
    }
  }
  if (batches != nullptr) *batches = count;
  return rows;
}

}  // namespace sluice::testing
