// The type inferred for a column of plain decimal literals ("1.10",
// "0.16666666666666666"), shared by the CSV and JSON sources.
#pragma once

#include "core/data_type.h"

namespace sluice {

struct DecimalSampleStats {
  int max_integer_digits = 0;      // digits before the point
  int max_scale = 0;               // digits after the point
  int max_significant_digits = 0;  // digits without leading zeros
};

// Returns decimal(p, s) for fixed-point data and float64 for what looks like
// printed binary floating point:
// - a scale of at most 6 is fixed-point (prices, rates, measurements), and
//   keeps the sample's scale so "1.10" is written back as "1.10";
// - longer fractions with at most 17 significant digits are how doubles are
//   printed (17 digits always round-trip a double), so they become float64;
// - more than 17 significant digits cannot come from a double, so they stay
//   exact as decimal(38, s) when they fit.
// Precision is 18 when the sample leaves at least 4 spare integer digits
// (the unscaled value then fits 64 bits), else 38.
DataType InferDecimalType(const DecimalSampleStats& stats, bool infer_decimals);

}  // namespace sluice
