#include "transforms/encryption/aead_cipher.h"

#include <climits>
#include <string>

#include "sluice/error.h"

namespace sluice {

namespace {

void Check(int status, const char* step) {
  if (status != 1) {
    throw IOError(std::string("OpenSSL AEAD operation failed: ") + step);
  }
}

int ToInt(size_t size) {
  if (size > INT_MAX) {
    throw IOError("AEAD message of " + std::to_string(size) + " bytes exceeds OpenSSL's limit");
  }
  return static_cast<int>(size);
}

}  // namespace

AeadCipher::AeadCipher(AeadAlgorithm algorithm, std::span<const uint8_t, kAeadKeyBytes> key) {
  const EVP_CIPHER* cipher = algorithm == AeadAlgorithm::kAes256Gcm ? EVP_aes_256_gcm()
                                                                    : EVP_chacha20_poly1305();
  encrypt_ = EVP_CIPHER_CTX_new();
  decrypt_ = EVP_CIPHER_CTX_new();
  if (encrypt_ == nullptr || decrypt_ == nullptr) {
    EVP_CIPHER_CTX_free(encrypt_);
    EVP_CIPHER_CTX_free(decrypt_);
    throw IOError("allocating an OpenSSL cipher context failed");
  }

  // Both ciphers default to a 12-byte nonce, the size this class uses.
  Check(EVP_EncryptInit_ex(encrypt_, cipher, nullptr, key.data(), nullptr), "encrypt init");
  Check(EVP_DecryptInit_ex(decrypt_, cipher, nullptr, key.data(), nullptr), "decrypt init");
}

AeadCipher::~AeadCipher() {
  EVP_CIPHER_CTX_free(encrypt_);  // also cleanses the key schedule
  EVP_CIPHER_CTX_free(decrypt_);
}

void AeadCipher::seal(const AeadNonce& nonce, std::span<const uint8_t> aad,
                      std::span<const uint8_t> plaintext, std::span<uint8_t> out) {
  int length = 0;
  Check(EVP_EncryptInit_ex(encrypt_, nullptr, nullptr, nullptr, nonce.data()), "set nonce");
  if (!aad.empty()) {
    Check(EVP_EncryptUpdate(encrypt_, nullptr, &length, aad.data(), ToInt(aad.size())), "aad");
  }
  int written = 0;
  if (!plaintext.empty()) {
    Check(EVP_EncryptUpdate(encrypt_, out.data(), &length, plaintext.data(),
                            ToInt(plaintext.size())),
          "encrypt");
    written = length;
  }
  Check(EVP_EncryptFinal_ex(encrypt_, out.data() + written, &length), "encrypt final");
  Check(EVP_CIPHER_CTX_ctrl(encrypt_, EVP_CTRL_AEAD_GET_TAG, kAeadTagBytes,
                            out.data() + plaintext.size()),
        "get tag");
}

bool AeadCipher::open(const AeadNonce& nonce, std::span<const uint8_t> aad,
                      std::span<const uint8_t> sealed, std::span<uint8_t> out) {
  size_t ciphertext_size = sealed.size() - kAeadTagBytes;
  int length = 0;
  Check(EVP_DecryptInit_ex(decrypt_, nullptr, nullptr, nullptr, nonce.data()), "set nonce");
  if (!aad.empty()) {
    Check(EVP_DecryptUpdate(decrypt_, nullptr, &length, aad.data(), ToInt(aad.size())), "aad");
  }
  int written = 0;
  if (ciphertext_size > 0) {
    Check(EVP_DecryptUpdate(decrypt_, out.data(), &length, sealed.data(), ToInt(ciphertext_size)),
          "decrypt");
    written = length;
  }
  Check(EVP_CIPHER_CTX_ctrl(decrypt_, EVP_CTRL_AEAD_SET_TAG, kAeadTagBytes,
                            const_cast<uint8_t*>(sealed.data() + ciphertext_size)),
        "set tag");
  return EVP_DecryptFinal_ex(decrypt_, out.data() + written, &length) == 1;
}

}  // namespace sluice
