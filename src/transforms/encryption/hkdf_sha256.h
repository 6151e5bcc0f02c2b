// HKDF-SHA-256 (RFC 5869) and HMAC-SHA-256 (RFC 2104) through OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace sluice {

using Sha256Digest = std::array<uint8_t, 32>;

// HKDF-Extract with `salt` (may be empty) then HKDF-Expand with `info`,
// writing out.size() bytes. Throws IOError when OpenSSL fails.
void HkdfSha256(std::span<const uint8_t> ikm, std::span<const uint8_t> salt,
                std::string_view info, std::span<uint8_t> out);

Sha256Digest HmacSha256(std::span<const uint8_t> key, std::string_view message);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEqual(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace sluice
