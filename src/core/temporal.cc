#include "core/temporal.h"

#include <charconv>
#include <cstddef>
#include <cstring>

namespace sluice {

namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsLeapYear(int64_t year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int64_t year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Reads exactly `count` digits at text[pos], advancing pos.
bool ReadDigits(std::string_view text, size_t& pos, int count, int64_t& value) {
  if (pos + static_cast<size_t>(count) > text.size()) return false;
  value = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += static_cast<size_t>(count);
  return true;
}

bool ReadDate(std::string_view text, size_t& pos, int64_t& days) {
  int64_t year, month, day;
  if (!ReadDigits(text, pos, 4, year)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, pos, 2, month)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, pos, 2, day)) return false;
  if (month < 1 || month > 12) return false;
  if (day < 1 || day > DaysInMonth(year, static_cast<int>(month))) return false;
  days = DaysFromCivil(year, static_cast<int>(month), static_cast<int>(day));
  return true;
}

// "00" to "99", so two digits cost one table read.
struct TwoDigitTable {
  char digits[200];
  constexpr TwoDigitTable() : digits() {
    for (int i = 0; i < 100; ++i) {
      digits[2 * i] = static_cast<char>('0' + i / 10);
      digits[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
  }
};
constexpr TwoDigitTable kTwoDigits;

// REQUIRES: 0 <= value <= 99.
char* WriteTwoDigits(char* dest, int64_t value) {
  std::memcpy(dest, kTwoDigits.digits + 2 * value, 2);
  return dest + 2;
}

// Writes a year in 0..9999 as four digits. Any other year gets a '-' or '+'
// sign and at least four digits, as ISO 8601 expanded years do.
char* WriteYear(char* dest, int64_t year) {
  if (year >= 0 && year <= 9999) {
    dest = WriteTwoDigits(dest, year / 100);
    return WriteTwoDigits(dest, year % 100);
  }
  *dest++ = year < 0 ? '-' : '+';
  uint64_t magnitude = year < 0 ? 0 - static_cast<uint64_t>(year) : static_cast<uint64_t>(year);
  char digits[20];
  char* end = std::to_chars(digits, digits + sizeof digits, magnitude).ptr;
  for (ptrdiff_t length = end - digits; length < 4; ++length) *dest++ = '0';
  std::memcpy(dest, digits, static_cast<size_t>(end - digits));
  return dest + (end - digits);
}

char* WriteDate(char* dest, int64_t days) {
  CivilDate date = CivilFromDays(days);
  dest = WriteYear(dest, date.year);
  *dest++ = '-';
  dest = WriteTwoDigits(dest, date.month);
  *dest++ = '-';
  return WriteTwoDigits(dest, date.day);
}

// A sign, 20 year digits (more than any int64 day count reaches) and "-MM-DD".
constexpr size_t kMaxDateLength = 27;

}  // namespace

// Converts a civil date to a day count by counting whole 400-year eras
// (146097 days each) from 0000-03-01, with March as the first month so the
// leap day falls at the end of the counted year.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  int64_t era = FloorDiv(year, 400);
  int64_t year_of_era = year - era * 400;
  int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  int64_t era = FloorDiv(days, 146097);
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t shifted_month = (5 * day_of_year + 2) / 153;
  int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

std::optional<int64_t> ParseDate(std::string_view text) {
  size_t pos = 0;
  int64_t days;
  if (!ReadDate(text, pos, days) || pos != text.size()) return std::nullopt;
  return days;
}

std::optional<ParsedTimestamp> ParseTimestamp(std::string_view text) {
  size_t pos = 0;
  int64_t days;
  if (!ReadDate(text, pos, days)) return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) return std::nullopt;
  ++pos;

  int64_t hour, minute, second = 0, fraction = 0;
  if (!ReadDigits(text, pos, 2, hour)) return std::nullopt;
  if (pos >= text.size() || text[pos++] != ':') return std::nullopt;
  if (!ReadDigits(text, pos, 2, minute)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, pos, 2, second)) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (++digits > 6) return std::nullopt;
        fraction = fraction * 10 + (text[pos++] - '0');
      }
      if (digits == 0) return std::nullopt;
      for (; digits < 6; ++digits) fraction *= 10;
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;

  ParsedTimestamp result;
  result.micros = days * kMicrosPerDay + ((hour * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
  result.micros_utc = result.micros;
  if (pos == text.size()) return result;

  if (text[pos] == 'Z' || text[pos] == 'z') {
    result.has_zone = true;
    return pos + 1 == text.size() ? std::optional(result) : std::nullopt;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  int sign = text[pos++] == '-' ? -1 : 1;
  int64_t offset_hours, offset_minutes = 0;
  if (!ReadDigits(text, pos, 2, offset_hours)) return std::nullopt;
  if (pos < text.size() && text[pos] == ':') ++pos;
  if (pos < text.size() && !ReadDigits(text, pos, 2, offset_minutes)) return std::nullopt;
  if (pos != text.size() || offset_hours > 18 || offset_minutes > 59) return std::nullopt;
  result.has_zone = true;
  result.micros_utc = result.micros - sign * (offset_hours * 60 + offset_minutes) * 60 * kMicrosPerSecond;
  return result;
}

// Both writers build the text in a stack buffer and append it once, without
// snprintf, because the CSV and JSON writers call them for every value.
void AppendDate(std::string& out, int64_t days) {
  char text[kMaxDateLength];
  out.append(text, WriteDate(text, days));
}

void AppendTimestamp(std::string& out, int64_t micros, char separator) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t time_of_day = micros - days * kMicrosPerDay;
  int64_t seconds = time_of_day / kMicrosPerSecond;
  int64_t fraction = time_of_day % kMicrosPerSecond;

  // The date, then "THH:MM:SS.ffffff" (16 characters).
  char text[kMaxDateLength + 16];
  char* end = WriteDate(text, days);
  *end++ = separator;
  end = WriteTwoDigits(end, seconds / 3600);
  *end++ = ':';
  end = WriteTwoDigits(end, seconds / 60 % 60);
  *end++ = ':';
  end = WriteTwoDigits(end, seconds % 60);
  if (fraction != 0) {
    *end++ = '.';
    end = WriteTwoDigits(end, fraction / 10000);
    end = WriteTwoDigits(end, fraction / 100 % 100);
    end = WriteTwoDigits(end, fraction % 100);
    while (end[-1] == '0') --end;  // the fraction is not zero, so a digit stays
  }
  out.append(text, end);
}

}  // namespace sluice
