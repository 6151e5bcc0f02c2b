// Conversions from flag text to option values, with messages that name the flag.
#pragma once

#include <string>

namespace sluice::cli {

// A single character; also accepts "tab" and "\t" for a tab.
char ParseCharFlag(const std::string& flag, const std::string& text);

uint64_t ParseSizeFlag(const std::string& flag, const std::string& text);

// A duration such as "500ms", "2s" or "1m" (a bare number is seconds), in
// milliseconds. Throws InvalidOption naming `flag`.
uint64_t ParseDurationMsFlag(const std::string& flag, const std::string& text);

}  // namespace sluice::cli
