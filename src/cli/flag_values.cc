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

}  // namespace sluice::cli
