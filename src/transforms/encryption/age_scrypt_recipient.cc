#include "transforms/encryption/age_scrypt_recipient.h"

#include <openssl/crypto.h>

#include <array>
#include <vector>

#include "sluice/error.h"
#include "transforms/encryption/aead_cipher.h"
#include "transforms/encryption/base64_unpadded.h"
#include "transforms/encryption/scrypt_kdf.h"

namespace sluice {

namespace {

constexpr std::string_view kSaltLabel = "age-encryption.org/v1/scrypt";

std::array<uint8_t, 32> WrapKey(std::string_view passphrase, std::span<const uint8_t> salt,
                                int log_n) {
  std::vector<uint8_t> full_salt(kSaltLabel.begin(), kSaltLabel.end());
  full_salt.insert(full_salt.end(), salt.begin(), salt.end());
  std::array<uint8_t, 32> key{};
  DeriveScryptKey(passphrase, full_salt, ScryptParams{log_n, 8, 1}, key);
  return key;
}

// Parses the work factor argument: decimal digits without a leading zero.
std::optional<int> ParseLogN(const std::string& text) {
  if (text.empty() || text.size() > 2 || text[0] == '0') {
    return std::nullopt;
  }
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

AgeStanza WrapFileKeyForPassphrase(const AgeFileKey& file_key, std::string_view passphrase,
                                   int log_n, RandomSource& random) {
  ValidateScryptParams(ScryptParams{log_n, 8, 1}, "age scrypt work factor");
  std::array<uint8_t, 16> salt{};
  random.fill(salt);

  std::array<uint8_t, 32> wrap_key = WrapKey(passphrase, salt, log_n);
  AeadCipher cipher(AeadAlgorithm::kChaCha20Poly1305, wrap_key);
  OPENSSL_cleanse(wrap_key.data(), wrap_key.size());

  AgeStanza stanza{{"scrypt", EncodeBase64Unpadded(salt), std::to_string(log_n)},
                   std::vector<uint8_t>(32)};
  cipher.seal(AeadNonce{}, {}, file_key, stanza.body);
  return stanza;
}

std::optional<AgeFileKey> UnwrapFileKeyForPassphrase(const AgeStanza& stanza,
                                                     std::string_view passphrase,
                                                     const std::string& file_label) {
  auto salt = stanza.args.size() == 3 ? DecodeBase64Unpadded(stanza.args[1]) : std::nullopt;
  auto log_n = stanza.args.size() == 3 ? ParseLogN(stanza.args[2]) : std::nullopt;
  if (!salt || salt->size() != 16 || !log_n || stanza.body.size() != 32) {
    throw InvalidInput(file_label + " has a malformed age scrypt stanza");
  }
  ValidateScryptParams(ScryptParams{*log_n, 8, 1}, file_label);

  std::array<uint8_t, 32> wrap_key = WrapKey(passphrase, *salt, *log_n);
  AeadCipher cipher(AeadAlgorithm::kChaCha20Poly1305, wrap_key);
  OPENSSL_cleanse(wrap_key.data(), wrap_key.size());

  AgeFileKey file_key{};
  if (!cipher.open(AeadNonce{}, {}, stanza.body, file_key)) {
    return std::nullopt;
  }
  return file_key;
}

}  // namespace sluice
