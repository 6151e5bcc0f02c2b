// age's scrypt recipient type: a passphrase wraps the file key with
//   wrap key = scrypt(N = 2^log_n, r = 8, p = 1,
//                     salt = "age-encryption.org/v1/scrypt" || 16 random bytes)
//   body = ChaCha20-Poly1305(wrap key, nonce 0, file key)
// An scrypt stanza must be the only stanza of its header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "transforms/encryption/age_header.h"
#include "transforms/encryption/random_source.h"

namespace sluice {

AgeStanza WrapFileKeyForPassphrase(const AgeFileKey& file_key, std::string_view passphrase,
                                   int log_n, RandomSource& random);

// Returns the file key, or nullopt when the passphrase is wrong. Throws
// InvalidInput naming `file_label` for a malformed stanza or a work factor
// above the memory bound of ValidateScryptParams.
std::optional<AgeFileKey> UnwrapFileKeyForPassphrase(const AgeStanza& stanza,
                                                     std::string_view passphrase,
                                                     const std::string& file_label);

}  // namespace sluice
