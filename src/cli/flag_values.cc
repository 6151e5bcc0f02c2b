#include "cli/flag_values.h"

#include "core/error.h"
#include "core/size.h"

namespace sluice::cli {

char ParseCharFlag(const std::string& flag, const std::string& text) {
  if (text == "tab" || text == "\\t") return '\t';
  if (text.size() != 1) {
    throw InvalidOption("invalid value '" + text + "' for " + flag +
                        ": use a single character, or tab");
  }
  return text[0];
}

uint64_t ParseSizeFlag(const std::string& flag, const std::string& text) {
  return ParseSize(text, flag);
}

uint64_t ParseDurationMsFlag(const std::string& flag, const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string unit = text.substr(digits);
  uint64_t scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s" || unit.empty()) {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60000;
  }
  // At most 9 digits, so the product stays far below UINT64_MAX.
  if (digits == 0 || digits > 9 || scale == 0) {
    throw InvalidOption("invalid duration '" + text + "' for " + flag +
                        ": use a whole number with ms, s or m, such as 500ms or 10s");
  }
  return std::stoull(text.substr(0, digits)) * scale;
}

}  // namespace sluice::cli
