// Column type inference from text values (CSV fields, JSON strings).
//
// The rules keep every value intact when it is written back out as text:
//   boolean      true/false in any case (1/0 stay integers)
//   int64        -?digits within the int64 range, no leading zero ("00501" is
//                text, a ZIP code) and no '+' (a leading '+' marks phone numbers
//                and would be lost on output)
//   decimal(p,s) -?digits.digits with the same rules, when decimals are
//                inferred and InferDecimalType (number_inference.h) takes them
//                for fixed-point data: s covers every value, so "1.10" keeps
//                scale 2, and p leaves room for values after the sample.
//                Integers beyond int64 make the column decimal(38,0) when
//                they have at most 38 digits.
//   float64      numbers with an exponent, nan, inf, infinity (any case, with an
//                optional '-'), and decimals that need more than 38 digits in
//                all (or any decimal when decimals are not inferred)
//   date         YYYY-MM-DD
//   timestamp    ISO 8601 date and time without a zone
//   timestamptz  ISO 8601 date and time with Z or an offset (stored as UTC)
//   string       anything else, a mix of the kinds above (other than the
//                numeric ones), and a column with no values at all
// Integers mixed with float64 values stay float64 only while they are within
// +-2^53, where a double holds them exactly; otherwise the column is string.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/data_type.h"

namespace sluice {

class TextTypeInference {
 public:
  explicit TextTypeInference(bool infer_decimals = true) : infer_decimals_(infer_decimals) {}

  // Adds one non-null value of the column. Empty text is ignored: sources
  // read it as null for every type but string.
  void add(std::string_view text);

  // Returns the inferred type for the values added so far, following the
  // rules above, or string when no value was added.
  DataType type() const;

 private:
  bool infer_decimals_;
  uint32_t kinds_ = 0;              // one bit per TextKind seen
  int max_integer_digits_ = 0;      // digits before the point, without leading zeros
  int max_scale_ = 0;
  int max_significant_digits_ = 0;               // digits after the point
  bool integer_beyond_float_ = false;  // an integer a double cannot hold exactly
};

}  // namespace sluice
