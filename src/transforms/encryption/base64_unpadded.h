// Standard base64 (RFC 4648 section 4) without '=' padding, as age uses it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

std::string EncodeBase64Unpadded(std::span<const uint8_t> bytes);

// Returns nullopt for characters outside the alphabet, '=' padding, an
// impossible length, or a non-canonical encoding (non-zero unused bits).
std::optional<std::vector<uint8_t>> DecodeBase64Unpadded(std::string_view text);

}  // namespace sluice
