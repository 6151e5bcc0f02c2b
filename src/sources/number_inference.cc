#include "sources/number_inference.h"

namespace sluice {

namespace {

constexpr int kMaxFixedPointScale = 6;
constexpr int kDoubleRoundTripDigits = 17;
constexpr int kSpareIntegerDigits = 4;
constexpr int kInt64Precision = 18;

}  // namespace

DataType InferDecimalType(const DecimalSampleStats& stats, bool infer_decimals) {
  if (!infer_decimals) return DataType{TypeId::kFloat64};

  int needed = stats.max_integer_digits + stats.max_scale;
  if (stats.max_scale <= kMaxFixedPointScale) {
    if (needed + kSpareIntegerDigits <= kInt64Precision) {
      return DataType::Decimal(kInt64Precision, stats.max_scale);
    }
    if (needed <= kMaxDecimalPrecision) return DataType::Decimal(kMaxDecimalPrecision, stats.max_scale);
    return DataType{TypeId::kFloat64};
  }

  if (stats.max_significant_digits <= kDoubleRoundTripDigits || needed > kMaxDecimalPrecision) {
    return DataType{TypeId::kFloat64};
  }
  return DataType::Decimal(kMaxDecimalPrecision, stats.max_scale);
}

}  // namespace sluice
