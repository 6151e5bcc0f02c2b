// The Sluice encrypted container, version 1 (specified in docs/encryption.md):
//
//   offset size  field
//        0    8  magic "SLUICENC"
//        8    1  format version, 1
//        9    1  cipher id, 1 = AES-256-GCM
//       10    1  KDF id, 1 = scrypt
//       11    1  scrypt log2(N)
//       12    4  scrypt r, big-endian
//       16    4  scrypt p, big-endian
//       20    4  plaintext segment size, big-endian, 65536
//       24   16  salt
//       40    7  nonce prefix
//       47    1  reserved, 0
//       48   32  HMAC-SHA-256(header key, bytes 0..47)
//       80       segments: AES-256-GCM ciphertext || 16-byte tag, AAD = bytes 0..79
//
// scrypt(password, salt) yields 64 bytes: the payload key, then the header key.
// The header MAC tells a wrong password apart from a modified segment.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "transforms/encryption/aead_cipher.h"
#include "transforms/encryption/scrypt_kdf.h"

namespace sluice {

constexpr std::string_view kContainerMagic = "SLUICENC";
constexpr uint8_t kContainerVersion = 1;
constexpr uint8_t kContainerCipherAes256Gcm = 1;
constexpr uint8_t kContainerKdfScrypt = 1;
constexpr size_t kContainerSegmentBytes = 64 * 1024;
constexpr size_t kContainerSaltBytes = 16;
constexpr size_t kContainerNoncePrefixBytes = 7;
constexpr size_t kContainerFieldsBytes = 48;  // the header before its MAC
constexpr size_t kContainerHeaderBytes = 80;
constexpr uint64_t kContainerMaxSegments = uint64_t{1} << 32;  // 4-byte counter

using ContainerSalt = std::array<uint8_t, kContainerSaltBytes>;
using ContainerNoncePrefix = std::array<uint8_t, kContainerNoncePrefixBytes>;

// Non-secret per-file values; a checkpoint may store them.
struct ContainerParams {
  ScryptParams scrypt;
  ContainerSalt salt{};
  ContainerNoncePrefix nonce_prefix{};
};

// Keys derived from the password; cleansed on destruction.
struct ContainerKeys {
  std::array<uint8_t, 32> payload{};
  std::array<uint8_t, 32> header{};
  ~ContainerKeys();
};

// Returns bytes 0..47 of the header.
std::string EncodeContainerFields(const ContainerParams& params);

// Parses bytes 0..47. Throws InvalidInput naming `file_label` for an unknown
// version, cipher, KDF or segment size, and for scrypt costs beyond the
// bounds of ValidateScryptParams. REQUIRES: fields.size() == 48 and the magic
// was checked.
ContainerParams DecodeContainerFields(std::string_view fields, std::string_view file_label);

// Runs scrypt; slow by design (see EncryptionOptions::scrypt_log_n).
ContainerKeys DeriveContainerKeys(std::string_view password, const ContainerParams& params);

// Returns the complete 80-byte header: the fields followed by their MAC.
std::string EncodeContainerHeader(const ContainerParams& params, const ContainerKeys& keys);

// Checks the MAC of an 80-byte `header` against `keys`. Throws InvalidInput
// naming `file_label` when it does not match: the password is wrong, or the
// header was modified (the two look alike without the right password).
void CheckContainerHeaderMac(std::string_view header, const ContainerKeys& keys, std::string_view file_label);

// Nonce of segment `counter`: prefix || counter (4 bytes, big-endian) || last.
AeadNonce ContainerSegmentNonce(const ContainerNoncePrefix& prefix, uint64_t counter, bool last);

}  // namespace sluice
