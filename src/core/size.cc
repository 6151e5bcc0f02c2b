#include "core/size.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.h"

namespace sluice {

namespace {

constexpr const char* kAcceptedUnits = "B, KB, MB, GB, TB (1 KB = 1024 bytes; KiB, MiB, GiB, TiB also accepted)";

struct Unit {
  const char* name;
  uint64_t bytes;
};

constexpr Unit kUnits[] = {
    {"", 1},
    {"b", 1},
    {"k", 1ULL << 10}, {"kb", 1ULL << 10}, {"kib", 1ULL << 10},
    {"m", 1ULL << 20}, {"mb", 1ULL << 20}, {"mib", 1ULL << 20},
    {"g", 1ULL << 30}, {"gb", 1ULL << 30}, {"gib", 1ULL << 30},
    {"t", 1ULL << 40}, {"tb", 1ULL << 40}, {"tib", 1ULL << 40},
};

std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

uint64_t ParseSize(std::string_view text, std::string_view setting) {
  std::string original(text);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);

  if (!text.empty() && text.front() == '-') {
    throw InvalidOption("invalid " + std::string(setting) + " " + Quote(original) +
                       ": a size cannot be negative; use a number with one of the units " +
                       kAcceptedUnits);
  }

  size_t digits_end = 0;
  bool seen_point = false;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) ||
          (text[digits_end] == '.' && !seen_point))) {
    seen_point = seen_point || text[digits_end] == '.';
    ++digits_end;
  }
  std::string number(text.substr(0, digits_end));
  if (number.empty() || number == ".") {
    throw InvalidOption("invalid " + std::string(setting) + " " + Quote(original) +
                       ": write a number with one of the units " + kAcceptedUnits +
                       ", for example 8KB or 500MB");
  }

  std::string_view unit_text = text.substr(digits_end);
  while (!unit_text.empty() && unit_text.front() == ' ') unit_text.remove_prefix(1);
  std::string unit;
  for (char c : unit_text) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  for (const Unit& candidate : kUnits) {
    if (unit != candidate.name) continue;
    long double value = std::stold(number) * static_cast<long double>(candidate.bytes);
    if (value >= 9.2e18L) {
      throw InvalidOption("invalid " + std::string(setting) + " " + Quote(original) +
                         ": the value is too large; the maximum is 8388607TB (just under 2^63 bytes)");
    }
    // Rounding "0.5B" up to 1 byte would report a value the user never gave.
    if (candidate.bytes == 1 && value != std::floor(value)) {
      throw InvalidOption("invalid " + std::string(setting) + " " + Quote(original) +
                         ": a byte count must be a whole number; use, for example, 8KB or 65536");
    }
    return static_cast<uint64_t>(std::llround(value));
  }
  throw InvalidOption("invalid " + std::string(setting) + " " + Quote(original) + ": unknown unit " +
                     Quote(unit_text) + "; use one of " + kAcceptedUnits);
}

std::string FormatSize(uint64_t bytes) {
  static const char* kNames[] = {"B", "KB", "MB", "GB", "TB"};
  int unit = 0;
  double value = static_cast<double>(bytes);
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  if (unit == 0 || std::fmod(value, 1.0) == 0) {
    std::snprintf(buffer, sizeof buffer, "%.0f%s", value, kNames[unit]);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f%s", value, kNames[unit]);
  }
  return buffer;
}

}  // namespace sluice
