// Parsing one text value (a CSV field, a JSON string) as a column type.
#pragma once

#include <string_view>

#include "core/batch.h"
#include "core/data_type.h"

namespace sluice {

// A parsed value held until a whole row has parsed, so a row with one bad
// value can be dropped without appending half of it. `text` views the input.
struct TextValue {
  bool boolean = false;
  int64_t int64 = 0;  // int64, date (days), timestamp and timestamptz (microseconds)
  double float64 = 0;
  Int128 decimal = 0;
  std::string_view text;  // string and binary
};

// Parses `text` as `type`. Returns false when it is not a value of that type.
// Accepted forms:
//   boolean      true/false (any case), 1/0
//   int64        [+-]digits within the int64 range
//   float64      what std::from_chars accepts (also nan, inf, infinity in any
//                case), with an optional leading '+'
//   decimal(p,s) [+-]digits[.digits] with at most s digits after the point and
//                at most p digits in all; never rounded
//   date         YYYY-MM-DD
//   timestamp    ISO 8601 date and time without a zone, or a date (midnight)
//   timestamptz  ISO 8601 date and time; with Z or an offset it is converted
//                to UTC, without one it is taken as UTC
//   string       any text
//   binary       the bytes of the text as they are
// NOTE: binary text is not base64-decoded, although the CSV and JSON writers
// write binary values as base64.
bool ParseTextValue(const DataType& type, std::string_view text, TextValue& value);

// Appends a value that ParseTextValue produced for the column's type.
void AppendTextValue(Column& column, const TextValue& value);

// Parses and appends in one step. Returns false, appending nothing, when
// `text` is not a value of the column's type.
bool ParseTextValue(std::string_view text, Column& column);

}  // namespace sluice
