// Bech32 (BIP 173) as age uses it for keys: no length limit on the data part,
// and all-lowercase or all-uppercase strings with the checksum computed over
// the lowercase form.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

struct Bech32Data {
  std::string hrp;             // human-readable part, lowercase
  std::vector<uint8_t> bytes;  // the data part converted from 5-bit groups
};

// Returns nullopt for mixed case, a missing separator, characters outside the
// Bech32 alphabet, a checksum mismatch or non-zero padding bits.
std::optional<Bech32Data> DecodeBech32(std::string_view text);

// Encodes in lowercase.
std::string EncodeBech32(std::string_view hrp, std::span<const uint8_t> bytes);

}  // namespace sluice
