// age's X25519 recipient type: "age1..." public keys, "AGE-SECRET-KEY-1..."
// identities, and the stanza that wraps a file key for one recipient:
//   share = X25519(ephemeral, basepoint)
//   wrap key = HKDF-SHA-256(X25519(ephemeral, recipient), share || recipient,
//                           "age-encryption.org/v1/X25519")
//   body = ChaCha20-Poly1305(wrap key, nonce 0, file key)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "transforms/encryption/age_header.h"
#include "transforms/encryption/random_source.h"

namespace sluice {

using X25519Key = std::array<uint8_t, 32>;

// Parses "age1..." into a public key. Throws InvalidInput naming the value.
X25519Key ParseAgeRecipient(std::string_view recipient);

// Parses "AGE-SECRET-KEY-1..." into a private key. Throws InvalidInput
// without repeating the secret.
X25519Key ParseAgeIdentity(std::string_view identity);

// Reads identities from an age identity file: one per line, with blank lines
// and lines starting with '#' ignored. Throws InvalidInput or IOError naming
// `path`.
std::vector<X25519Key> ReadAgeIdentityFile(const std::string& path);

std::string FormatAgeRecipient(const X25519Key& public_key);
std::string FormatAgeIdentity(const X25519Key& private_key);

X25519Key X25519PublicKey(const X25519Key& private_key);

AgeStanza WrapFileKeyForX25519(const AgeFileKey& file_key, const X25519Key& recipient,
                               RandomSource& random);

// Returns the file key when `stanza` is an X25519 stanza addressed to
// `identity`, nullopt when it is for another key or another type. Throws
// InvalidInput naming `file_label` when an X25519 stanza is malformed.
std::optional<AgeFileKey> UnwrapFileKeyForX25519(const AgeStanza& stanza,
                                                 const X25519Key& identity,
                                                 const std::string& file_label);

}  // namespace sluice
