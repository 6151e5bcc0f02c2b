// Value-to-text helpers shared by the text writers (CSV, JSON) and by any
// writer that stores values as text. Every function appends to a caller's
// buffer so a writer can encode a whole batch into one reused string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Appends the base-10 text of an int64, including INT64_MIN.
void AppendInt64(std::string& out, int64_t value);

// Appends the shortest text that parses back to the same double
// (std::to_chars), such as "0.1", "1e+300", "5e-324" and "-0". Non-finite
// values become "NaN", "Infinity" and "-Infinity", which are not JSON numbers.
void AppendDouble(std::string& out, double value);

// Appends standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /) with '='
// padding.
void AppendBase64(std::string& out, std::string_view bytes);

// Appends `text` as a quoted JSON string (RFC 8259). '"', '\\' and control
// characters are escaped, U+2028 and U+2029 are escaped so the output is also
// valid JavaScript, and other valid UTF-8 is copied unchanged. Each byte that
// is not part of valid UTF-8 becomes U+FFFD because JSON text must be UTF-8.
// Returns false when such a replacement happened.
bool AppendJsonString(std::string& out, std::string_view text);

// A strftime-style pattern compiled once and applied to many values.
// Specifiers: %Y year (at least four digits, '-' before negative years),
// %m month, %d day, %H hour, %M minute, %S second (two digits each),
// %f microseconds (six digits) and %% for '%'. Other text is copied as is.
class TemporalPattern {
 public:
  // Throws InvalidInput naming the pattern and the unknown specifier.
  explicit TemporalPattern(std::string_view pattern);

  // Appends the fields of a timestamp in microseconds since
  // 1970-01-01T00:00:00 (negative before 1970).
  void append_timestamp(std::string& out, int64_t micros) const;

  // Appends the fields of a date in days since 1970-01-01, at midnight.
  void append_date(std::string& out, int64_t days) const;

 private:
  void append_fields(std::string& out, int64_t days, int64_t time_of_day_micros) const;

  struct Part {
    char specifier;       // 0 for literal text
    std::string literal;
  };
  std::vector<Part> parts_;
};

// Formats one timestamp with a pattern compiled on each call, for tests and
// one-off text. Writers keep a TemporalPattern instead.
std::string FormatTemporal(std::string_view pattern, int64_t micros);

}  // namespace sluice
