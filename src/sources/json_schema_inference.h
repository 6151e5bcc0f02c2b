// Infers a schema from sample JSON objects.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/data_type.h"
#include "sources/json_scanner.h"

namespace sluice {

// Columns are the union of the sample's keys in first-seen order. A column's
// type follows the kinds of its non-null values:
//   true/false                          boolean
//   integers within int64               int64
//   integers of up to 38 digits         decimal(38,0)
//   numbers with a fraction, no exponent decimal(max(p,18),s) covering every
//                                       sample value when decimals are
//                                       inferred and p <= 38, else float64
//   an exponent or more than 38 digits  float64
//   strings                             date, timestamp or timestamptz when
//                                       every one parses as such, else string
//   objects and arrays                  string (compact JSON text)
// Values of more than one kind, or only nulls, make a string column.
// A decimal column gets at least 18 digits of precision, so later rows with
// larger integer parts still fit. A later value with more fraction digits
// than the sample showed does not fit, and the reader reports it.
// Strings are only tested as dates and timestamps, never as numbers (unlike
// TextTypeInference for CSV), because a JSON string "123" was written as text.
class JsonSchemaInference {
 public:
  explicit JsonSchemaInference(bool infer_decimals) : infer_decimals_(infer_decimals) {}

  void add(const std::vector<JsonMember>& members);
  Schema schema() const;

 private:
  struct ColumnStats {
    std::string name;
    bool seen_boolean = false;
    bool seen_number = false;
    bool seen_string = false;
    bool seen_nested = false;
    bool seen_float = false;        // exponent, or too many digits for a decimal
    bool seen_fraction = false;
    bool seen_big_integer = false;  // outside int64
    int max_integer_digits = 0;
    int max_scale = 0;
    int max_significant_digits = 0;
    bool all_dates = true;
    bool all_local_timestamps = true;
    bool all_zoned_timestamps = true;
  };

  ColumnStats& column_for(const JsonMember& member);
  void add_number(ColumnStats& column, const JsonMember& member);
  void add_string(ColumnStats& column, const JsonMember& member);
  DataType number_type(const ColumnStats& column) const;

  bool infer_decimals_;
  std::vector<ColumnStats> columns_;
  std::unordered_map<std::string, size_t> index_;
  std::string scratch_;
};

}  // namespace sluice
