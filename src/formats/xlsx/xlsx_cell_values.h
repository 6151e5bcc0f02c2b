// Conversions of column values to Excel cell numbers.
#pragma once

#include <cstdint>
#include <optional>

#include "core/batch.h"

namespace sluice {

// Excel stores dates as days since 1899-12-30 (the "1900" date system). Only
// 1900-03-01 to 9999-12-31 is safe: Excel numbers January and February 1900
// as if 1900 were a leap year, which LibreOffice and openpyxl do not.
constexpr int64_t kExcelEpochOffsetDays = 25569;        // 1970-01-01 is serial 25569
constexpr int64_t kExcelFirstSafeDay = -25508;          // 1900-03-01, days since 1970-01-01
constexpr int64_t kExcelLastDay = 2932896;              // 9999-12-31, days since 1970-01-01

// Returns the Excel serial of a date (days since 1970-01-01), or nullopt
// outside 1900-03-01..9999-12-31.
std::optional<double> ExcelSerialFromDays(int64_t days);

// Returns the Excel serial of a timestamp (microseconds since 1970-01-01),
// or nullopt outside the same range. The serial is exact to about one
// microsecond for present-day years because libxlsxwriter writes 16
// significant digits.
std::optional<double> ExcelSerialFromMicros(int64_t micros);

// Largest integer magnitude a double holds exactly: 2^53.
constexpr int64_t kMaxExactDoubleInteger = 9007199254740992LL;

// Number of significant decimal digits of `unscaled` after dropping trailing
// zeros (0 has 1), the count that decides whether a decimal survives as a
// double: 15 digits always do.
int SignificantDigits(Int128 unscaled);

}  // namespace sluice
