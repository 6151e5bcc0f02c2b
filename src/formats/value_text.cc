#include "formats/value_text.h"

#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/temporal.h"

namespace sluice {

namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr char kHexDigits[] = "0123456789abcdef";

// Bytes a JSON string cannot hold as they are: control characters, '"',
// '\\', and every byte of a non-ASCII sequence (validated separately).
constexpr bool IsJsonSpecial(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

struct JsonSpecialTable {
  bool special[256];
  constexpr JsonSpecialTable() : special() {
    for (int c = 0; c < 256; ++c) special[c] = IsJsonSpecial(static_cast<unsigned char>(c));
  }
};
constexpr JsonSpecialTable kJsonSpecial;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Returns the length of the valid UTF-8 sequence at text[i], or 0 when the
// bytes there are not valid UTF-8 (overlong forms, surrogates and code
// points above U+10FFFF are invalid, per RFC 3629).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[i + k]); };
  unsigned char lead = byte(0);
  size_t remaining = text.size() - i;

  if (lead >= 0xC2 && lead <= 0xDF) {
    return remaining >= 2 && IsContinuation(byte(1)) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (remaining < 3) return 0;
    unsigned char second = byte(1);
    unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return second >= low && second <= high && IsContinuation(byte(2)) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (remaining < 4) return 0;
    unsigned char second = byte(1);
    unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return second >= low && second <= high && IsContinuation(byte(2)) && IsContinuation(byte(3))
               ? 4
               : 0;
  }
  return 0;
}

void AppendJsonEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out.append("\\\""); return;
    case '\\': out.append("\\\\"); return;
    case '\b': out.append("\\b"); return;
    case '\f': out.append("\\f"); return;
    case '\n': out.append("\\n"); return;
    case '\r': out.append("\\r"); return;
    case '\t': out.append("\\t"); return;
    default: break;
  }
  char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
  out.append(escape, sizeof escape);
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

void AppendTwoDigits(std::string& out, int64_t value) {
  out.append(kTwoDigits.digits + 2 * value, 2);
}

void AppendZeroPadded(std::string& out, int64_t value, int width) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  for (int length = static_cast<int>(end - buffer); length < width; ++length) out.push_back('0');
  out.append(buffer, end);
}

void AppendYear(std::string& out, int64_t year) {
  if (year < 0) {
    out.push_back('-');
    year = -year;
  }
  AppendZeroPadded(out, year, 4);
}

}  // namespace

void AppendInt64(std::string& out, int64_t value) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out.append(value < 0 ? "-Infinity" : "Infinity");
    return;
  }
  // The longest shortest form is 24 characters ("-2.2250738585072014e-308").
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendBase64(std::string& out, std::string_view bytes) {
  size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* dest = out.data() + start;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };

  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    *dest++ = kBase64Alphabet[group >> 18];
    *dest++ = kBase64Alphabet[(group >> 12) & 0x3F];
    *dest++ = kBase64Alphabet[(group >> 6) & 0x3F];
    *dest++ = kBase64Alphabet[group & 0x3F];
  }

  size_t tail = bytes.size() - i;
  if (tail == 0) return;
  uint32_t group = byte(i) << 16 | (tail == 2 ? byte(i + 1) << 8 : 0);
  *dest++ = kBase64Alphabet[group >> 18];
  *dest++ = kBase64Alphabet[(group >> 12) & 0x3F];
  *dest++ = tail == 2 ? kBase64Alphabet[(group >> 6) & 0x3F] : '=';
  *dest++ = '=';
}

bool AppendJsonString(std::string& out, std::string_view text) {
  bool valid = true;
  out.push_back('"');

  size_t run_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!kJsonSpecial.special[c]) {
      ++i;
      continue;
    }
    out.append(text.data() + run_start, i - run_start);

    if (c < 0x80) {
      AppendJsonEscape(out, c);
      ++i;
    } else {
      size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        valid = false;
        length = 1;
      } else if (length == 3 && c == 0xE2 && text[i + 1] == '\x80' &&
                 (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
        out.append(text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029");
      } else {
        out.append(text.data() + i, length);
      }
      i += length;
    }
    run_start = i;
  }

  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
  return valid;
}

TemporalPattern::TemporalPattern(std::string_view pattern) {
  std::string literal;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      literal.push_back(pattern[i]);
      continue;
    }
    char specifier = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
    if (specifier == '%') {
      literal.push_back('%');
      ++i;
      continue;
    }
    if (std::string_view("YmdHMSf").find(specifier) == std::string_view::npos ||
        specifier == '\0') {
      std::string specifier_text =
          specifier == '\0' ? "a lone %" : std::string("%") + specifier;
      throw InvalidOption("invalid date/time format '" + std::string(pattern) + "': " +
                         specifier_text +
                         " is not supported; use %Y %m %d %H %M %S %f or %% for a literal %");
    }
    if (!literal.empty()) parts_.push_back(Part{0, std::move(literal)});
    literal.clear();
    parts_.push_back(Part{specifier, {}});
    ++i;
  }
  if (!literal.empty()) parts_.push_back(Part{0, std::move(literal)});
}

void TemporalPattern::append_timestamp(std::string& out, int64_t micros) const {
  // Floor division keeps the time of day in [0, 1 day) before 1970.
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;
  append_fields(out, days, micros - days * kMicrosPerDay);
}

void TemporalPattern::append_date(std::string& out, int64_t days) const {
  append_fields(out, days, 0);
}

void TemporalPattern::append_fields(std::string& out, int64_t days,
                                    int64_t time_of_day_micros) const {
  CivilDate date = CivilFromDays(days);
  int64_t seconds = time_of_day_micros / kMicrosPerSecond;

  for (const Part& part : parts_) {
    switch (part.specifier) {
      case 0: out.append(part.literal); break;
      case 'Y': AppendYear(out, date.year); break;
      case 'm': AppendTwoDigits(out, date.month); break;
      case 'd': AppendTwoDigits(out, date.day); break;
      case 'H': AppendTwoDigits(out, seconds / 3600); break;
      case 'M': AppendTwoDigits(out, seconds / 60 % 60); break;
      case 'S': AppendTwoDigits(out, seconds % 60); break;
      case 'f': AppendZeroPadded(out, time_of_day_micros % kMicrosPerSecond, 6); break;
      default: break;
    }
  }
}

std::string FormatTemporal(std::string_view pattern, int64_t micros) {
  std::string out;
  TemporalPattern(pattern).append_timestamp(out, micros);
  return out;
}

}  // namespace sluice
