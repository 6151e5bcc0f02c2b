#include "transforms/encryption/age_writer.h"

#include <openssl/crypto.h>

#include "sluice/error.h"
#include "transforms/encryption/age_header.h"
#include "transforms/encryption/age_scrypt_recipient.h"
#include "transforms/encryption/base64_unpadded.h"
#include "transforms/encryption/hkdf_sha256.h"

namespace sluice {

AeadNonce AgeChunkNonce(uint64_t counter, bool last) {
  AeadNonce nonce{};  // bytes 0..2 of the 11-byte counter stay zero
  for (int i = 0; i < 8; ++i) {
    nonce[3 + i] = static_cast<uint8_t>(counter >> (56 - 8 * i));
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

AgeWriter::AgeWriter(std::unique_ptr<ByteSink> inner, const AgeRecipients& recipients,
                     RandomSource& random)
    : inner_(std::move(inner)) {
  bool has_passphrase = !recipients.passphrase.empty();
  if (has_passphrase == !recipients.x25519.empty()) {
    throw InvalidInput(
        "age encryption needs either a password or --recipient keys, not both and not neither");
  }

  AgeFileKey file_key{};
  random.fill(file_key);
  std::vector<AgeStanza> stanzas;
  if (has_passphrase) {
    stanzas.push_back(WrapFileKeyForPassphrase(file_key, recipients.passphrase,
                                               recipients.scrypt_log_n, random));
  }
  for (const X25519Key& recipient : recipients.x25519) {
    stanzas.push_back(WrapFileKeyForX25519(file_key, recipient, random));
  }

  std::string header = EncodeAgeHeaderWithoutMac(stanzas);
  std::array<uint8_t, 32> mac = ComputeAgeHeaderMac(file_key, header);
  header += ' ';
  header += EncodeBase64Unpadded(mac);
  header += '\n';

  std::array<uint8_t, 16> nonce{};
  random.fill(nonce);
  header.append(nonce.begin(), nonce.end());

  std::array<uint8_t, 32> payload_key{};
  HkdfSha256(file_key, nonce, "payload", payload_key);
  OPENSSL_cleanse(file_key.data(), file_key.size());
  auto cipher = std::make_unique<AeadCipher>(AeadAlgorithm::kChaCha20Poly1305, payload_key);
  OPENSSL_cleanse(payload_key.data(), payload_key.size());

  sealer_.emplace(std::move(cipher), std::string(), AgeChunkNonce, kAgeChunkBytes, UINT64_MAX);
  inner_->write(header);
}

AgeWriter::~AgeWriter() {
  if (!closed_) {
    abort();
  }
}

void AgeWriter::write(std::string_view data) {
  sealer_->write(data, *inner_);
  bytes_written_ += data.size();
}

void AgeWriter::commit() {
  sealer_->finish(*inner_);
  inner_->commit();
  closed_ = true;
}

void AgeWriter::abort() noexcept {
  closed_ = true;
  if (inner_) {
    inner_->abort();
  }
}

}  // namespace sluice
