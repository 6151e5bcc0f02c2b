// Calendar arithmetic and ISO 8601 text for dates and timestamps.
//
// Dates are days since 1970-01-01 in the proleptic Gregorian calendar;
// timestamps are microseconds since 1970-01-01T00:00:00. Values before 1970
// are negative and use floor division, so 1969-12-31T23:59:59.5 is -500000.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice {

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

int64_t DaysFromCivil(int64_t year, int month, int day);
CivilDate CivilFromDays(int64_t days);

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400LL * kMicrosPerSecond;

// Parses YYYY-MM-DD. Returns nullopt when the text is not exactly a valid date.
std::optional<int64_t> ParseDate(std::string_view text);

struct ParsedTimestamp {
  int64_t micros = 0;     // as written, before any offset is applied
  bool has_zone = false;  // a 'Z' or a numeric offset was present
  int64_t micros_utc = 0; // micros minus the offset; equals micros without a zone
};

// Parses "YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|+HH[:MM]|-HH[:MM]]" with up to
// six fraction digits (more are rejected rather than rounded).
std::optional<ParsedTimestamp> ParseTimestamp(std::string_view text);

// YYYY-MM-DD; years outside 0..9999 get a sign and at least four digits.
void AppendDate(std::string& out, int64_t days);

// Date, `separator`, HH:MM:SS, then a fraction only when it is not zero,
// with trailing zeros removed (".5", ".123456").
void AppendTimestamp(std::string& out, int64_t micros, char separator);

}  // namespace sluice
