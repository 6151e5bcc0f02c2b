#include "formats/xlsx/xlsx_cell_values.h"

#include "core/temporal.h"

namespace sluice {

std::optional<double> ExcelSerialFromDays(int64_t days) {
  if (days < kExcelFirstSafeDay || days > kExcelLastDay) return std::nullopt;
  return static_cast<double>(days + kExcelEpochOffsetDays);
}

std::optional<double> ExcelSerialFromMicros(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t in_day = micros % kMicrosPerDay;
  if (in_day < 0) {
    days -= 1;
    in_day += kMicrosPerDay;
  }
  std::optional<double> date = ExcelSerialFromDays(days);
  if (!date) return std::nullopt;
  return *date + static_cast<double>(in_day) / static_cast<double>(kMicrosPerDay);
}

int SignificantDigits(Int128 unscaled) {
  unsigned __int128 magnitude = unscaled < 0 ? -static_cast<unsigned __int128>(unscaled)
                                             : static_cast<unsigned __int128>(unscaled);
  if (magnitude == 0) return 1;
  while (magnitude % 10 == 0) magnitude /= 10;
  int digits = 0;
  while (magnitude != 0) {
    magnitude /= 10;
    ++digits;
  }
  return digits;
}

}  // namespace sluice
