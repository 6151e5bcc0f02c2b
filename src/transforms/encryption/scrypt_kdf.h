// scrypt (RFC 7914) through OpenSSL's EVP_KDF "SCRYPT".
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sluice {

// Cost parameters: N = 2^log_n, r the block size, p the parallelism.
// scrypt needs about 128 * r * N bytes of memory.
struct ScryptParams {
  int log_n = 15;  // the default of EncryptionOptions::scrypt_log_n
  uint32_t r = 8;
  uint32_t p = 1;
};

// Largest scrypt table (128 * r * N bytes) a file may ask for. A header is
// attacker-controlled, so a file with a larger cost is rejected instead of
// allocated. 1 GiB admits age's usual passphrase cost (N = 2^18, 256 MiB).
constexpr uint64_t kMaxScryptMemoryBytes = uint64_t{1} << 30;

// Bytes of memory OpenSSL allocates for `params`: 128 * r * (N + p + 2),
// saturating at UINT64_MAX.
uint64_t ScryptMemoryBytes(const ScryptParams& params);

// Throws InvalidInput naming `what` (an option or a file) when log_n is
// outside 1..30, r or p is 0, r * p >= 2^30 (RFC 7914's limit) or the table
// of 128 * r * N bytes exceeds kMaxScryptMemoryBytes.
void ValidateScryptParams(const ScryptParams& params, std::string_view what);

// Derives out.size() bytes from password and salt. Throws IOError when
// OpenSSL fails (out of memory, for example).
void DeriveScryptKey(std::string_view password, std::span<const uint8_t> salt,
                     const ScryptParams& params, std::span<uint8_t> out);

}  // namespace sluice
