// JsonRowDecoder: converts the members of one JSON object into a row of a
// fixed schema, matching members to columns by key.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "core/batch.h"
#include "core/data_type.h"
#include "sources/json_scanner.h"

namespace sluice {

// The reason an object did not fit the schema.
struct JsonRowProblem {
  enum class Kind { kUnknownKey, kBadValue } kind = Kind::kBadValue;
  std::string column;  // the key, or the column whose value did not fit
  std::string value;   // the value as written, cut to 60 bytes
};

// Conversions, by column type:
//   boolean      true, false
//   int64        integers within int64
//   float64      any number
//   decimal(p,s) numbers without exponent that fit exactly
//   string       strings; other values as their JSON text, nested ones compact
//   binary       base64 strings (standard alphabet, padding optional)
//   date         "YYYY-MM-DD"
//   timestamp    ISO 8601 without zone
//   timestamptz  ISO 8601; a value without zone is taken as UTC
// A missing key or null is null. A repeated key keeps its last value.
class JsonRowDecoder {
 public:
  // With `ignore_unknown_keys`, keys outside the schema are dropped (an
  // explicit schema picks columns); otherwise they are a problem.
  JsonRowDecoder(const Schema& schema, bool ignore_unknown_keys);

  // Appends the row, or appends nothing and fills `problem` and returns false.
  // REQUIRES: batch was reset() with the schema.
  bool append_row(const std::vector<JsonMember>& members, Batch& batch, JsonRowProblem& problem);

 private:
  struct Staged {
    bool is_null = true;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    Int128 decimal = 0;
    std::string_view bytes;
  };

  bool find_column(const JsonMember& member, size_t& column);
  bool convert(size_t column, const JsonMember& member);
  void append(size_t column, Column& out) const;

  Schema schema_;
  bool ignore_unknown_keys_;
  std::unordered_map<std::string, size_t> index_;
  size_t next_expected_ = 0;                 // the column the next key most likely names
  std::vector<const JsonMember*> cells_;     // per column, the member that sets it
  std::vector<Staged> staged_;
  std::vector<std::string> scratch_;         // per column, decoded text
  std::string key_scratch_;
  std::string unescaped_;                    // a non-string column's decoded string value
};

}  // namespace sluice
