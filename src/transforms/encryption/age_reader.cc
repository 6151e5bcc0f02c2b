#include "transforms/encryption/age_reader.h"

#include <openssl/crypto.h>

#include "sluice/error.h"
#include "transforms/encryption/age_scrypt_recipient.h"
#include "transforms/encryption/age_writer.h"
#include "transforms/encryption/hkdf_sha256.h"
#include "transforms/encryption/stream_opener.h"

namespace sluice {

AgeReader::AgeReader(std::istream& in, std::string file_label)
    : in_(in), file_label_(std::move(file_label)), header_(ReadAgeHeader(in_, file_label_)) {
  for (const AgeStanza& stanza : header_.stanzas) {
    if (stanza.args[0] == "scrypt" && header_.stanzas.size() != 1) {
      throw InvalidInput(file_label_ +
                         " mixes an age scrypt stanza with other recipients, which age forbids; the file is corrupt");
    }
  }
}

AgeReader::~AgeReader() {
  if (file_key_) {
    OPENSSL_cleanse(file_key_->data(), file_key_->size());
  }
}

bool AgeReader::needs_passphrase() const { return header_.stanzas[0].args[0] == "scrypt"; }

void AgeReader::unlock_with_passphrase(std::string_view passphrase) {
  if (!needs_passphrase()) {
    throw InvalidInput(file_label_ +
                       " is encrypted to age public keys, not a password; pass the key file with --identity");
  }
  auto file_key = UnwrapFileKeyForPassphrase(header_.stanzas[0], passphrase, file_label_);
  if (!file_key) {
    throw InvalidInput("wrong password for " + file_label_);
  }
  accept_file_key(*file_key);
}

void AgeReader::unlock_with_identities(const std::vector<X25519Key>& identities) {
  if (needs_passphrase()) {
    throw InvalidInput(file_label_ + " is encrypted with a password, not to age public keys");
  }
  for (const AgeStanza& stanza : header_.stanzas) {
    for (const X25519Key& identity : identities) {
      if (auto file_key = UnwrapFileKeyForX25519(stanza, identity, file_label_)) {
        accept_file_key(*file_key);
        return;
      }
    }
  }
  throw InvalidInput("no identity matches a recipient of " + file_label_ +
                     "; pass the key file it was encrypted to with --identity");
}

void AgeReader::accept_file_key(const AgeFileKey& file_key) {
  std::array<uint8_t, 32> mac = ComputeAgeHeaderMac(file_key, header_.mac_input);
  if (!ConstantTimeEqual(mac, header_.mac)) {
    throw InvalidInput(file_label_ + " has an age header that fails its MAC; the header was modified");
  }
  file_key_ = file_key;
}

uint64_t AgeReader::decrypt_to(ByteSink& out) {
  std::array<uint8_t, 16> nonce{};
  in_.read(reinterpret_cast<char*>(nonce.data()), nonce.size());
  if (in_.bad()) {
    throw IOError("reading " + file_label_ + " failed; check that the file is readable");
  }
  if (static_cast<size_t>(in_.gcount()) != nonce.size()) {
    throw InvalidInput(file_label_ + " is truncated: the age payload nonce is incomplete");
  }

  std::array<uint8_t, 32> payload_key{};
  HkdfSha256(*file_key_, nonce, "payload", payload_key);
  AeadCipher cipher(AeadAlgorithm::kChaCha20Poly1305, payload_key);
  OPENSSL_cleanse(payload_key.data(), payload_key.size());

  uint64_t payload_offset = header_.mac_input.size() + 1 + 43 + 1 + nonce.size();
  StreamLayout layout{kAgeChunkBytes, UINT64_MAX, payload_offset};
  return OpenStream(in_, cipher, {}, AgeChunkNonce, layout, file_label_, out);
}

}  // namespace sluice
