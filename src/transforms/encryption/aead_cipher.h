// One AEAD key (AES-256-GCM or ChaCha20-Poly1305, 12-byte nonce, 16-byte tag)
// that seals and opens many messages, reusing one OpenSSL context so each
// segment costs no key schedule.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <span>

namespace sluice {

enum class AeadAlgorithm { kAes256Gcm, kChaCha20Poly1305 };

constexpr size_t kAeadKeyBytes = 32;
constexpr size_t kAeadNonceBytes = 12;
constexpr size_t kAeadTagBytes = 16;

using AeadNonce = std::array<uint8_t, kAeadNonceBytes>;

class AeadCipher {
 public:
  AeadCipher(AeadAlgorithm algorithm, std::span<const uint8_t, kAeadKeyBytes> key);
  ~AeadCipher();
  AeadCipher(const AeadCipher&) = delete;
  AeadCipher& operator=(const AeadCipher&) = delete;

  // Writes the ciphertext followed by the tag to `out`.
  // REQUIRES: out.size() == plaintext.size() + kAeadTagBytes.
  void seal(const AeadNonce& nonce, std::span<const uint8_t> aad,
            std::span<const uint8_t> plaintext, std::span<uint8_t> out);

  // Verifies `sealed` (ciphertext followed by tag) and writes the plaintext to
  // `out`. Returns false when the tag does not match; `out` then holds
  // unverified bytes that the caller must discard.
  // REQUIRES: sealed.size() >= kAeadTagBytes and
  //           out.size() == sealed.size() - kAeadTagBytes.
  bool open(const AeadNonce& nonce, std::span<const uint8_t> aad,
            std::span<const uint8_t> sealed, std::span<uint8_t> out);

 private:
  EVP_CIPHER_CTX* encrypt_ = nullptr;
  EVP_CIPHER_CTX* decrypt_ = nullptr;
};

}  // namespace sluice
