// Sizes in human units. KB, MB, GB and TB are binary multiples (1 KB = 1024
// bytes), as memory sizes usually are; KiB, MiB, GiB and TiB are accepted as
// the same values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

// Parses "8KB", "1MB", "1.5GB", "500 MB" or a plain byte count such as
// "65536". Units are case-insensitive. Throws InvalidInput, naming `setting`
// and listing the accepted units, for an unknown unit, a negative or
// malformed number, or a value past 2^63 bytes.
uint64_t ParseSize(std::string_view text, std::string_view setting = "size");

// Formats a byte count in the largest unit that keeps at most one decimal
// place ("1MB", "1.5GB", "8KB", "100B").
std::string FormatSize(uint64_t bytes);

}  // namespace sluice
