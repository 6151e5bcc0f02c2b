#include "transforms/encryption/x25519_recipient.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "sluice/error.h"
#include "transforms/encryption/aead_cipher.h"
#include "transforms/encryption/base64_unpadded.h"
#include "transforms/encryption/bech32.h"
#include "transforms/encryption/hkdf_sha256.h"

namespace sluice {

namespace {

constexpr std::string_view kStanzaInfo = "age-encryption.org/v1/X25519";

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

PkeyPtr PrivateKey(const X25519Key& key) {
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, key.data(), key.size()),
               EVP_PKEY_free);
  if (!pkey) {
    throw IOError("OpenSSL rejected an X25519 private key");
  }
  return pkey;
}

X25519Key SharedSecret(const X25519Key& private_key, const X25519Key& peer_public) {
  PkeyPtr own = PrivateKey(private_key);
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public.data(),
                                           peer_public.size()),
               EVP_PKEY_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new(own.get(), nullptr), EVP_PKEY_CTX_free);
  X25519Key secret{};
  size_t length = secret.size();
  // OpenSSL fails the derivation when the result is all zeros (a low-order
  // peer point); the caller treats that like a wrong key.
  if (!peer || !ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), secret.data(), &length) != 1 || length != secret.size()) {
    secret.fill(0);
  }
  return secret;
}

std::array<uint8_t, 32> WrapKey(const X25519Key& shared, const X25519Key& share,
                                const X25519Key& recipient) {
  std::array<uint8_t, 64> salt{};
  std::copy(share.begin(), share.end(), salt.begin());
  std::copy(recipient.begin(), recipient.end(), salt.begin() + 32);
  std::array<uint8_t, 32> key{};
  HkdfSha256(shared, salt, kStanzaInfo, key);
  return key;
}

}  // namespace

X25519Key ParseAgeRecipient(std::string_view recipient) {
  auto decoded = DecodeBech32(recipient);
  if (!decoded || decoded->hrp != "age" || decoded->bytes.size() != 32) {
    throw InvalidInput("invalid age recipient \"" + std::string(recipient) +
                       "\"; expected an X25519 public key such as the one age-keygen prints (age1...)");
  }
  X25519Key key{};
  std::copy(decoded->bytes.begin(), decoded->bytes.end(), key.begin());
  return key;
}

X25519Key ParseAgeIdentity(std::string_view identity) {
  auto decoded = DecodeBech32(identity);
  if (!decoded || decoded->hrp != "age-secret-key-" || decoded->bytes.size() != 32) {
    throw InvalidInput(
        "invalid age identity; expected an X25519 secret key line (AGE-SECRET-KEY-1...) as age-keygen writes it");
  }
  X25519Key key{};
  std::copy(decoded->bytes.begin(), decoded->bytes.end(), key.begin());
  OPENSSL_cleanse(decoded->bytes.data(), decoded->bytes.size());
  return key;
}

std::vector<X25519Key> ReadAgeIdentityFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw IOError("cannot open identity file " + path + "; check the path and permissions");
  }
  std::vector<X25519Key> keys;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty() || line[0] == '#') {
      continue;
    }
    if (line.rfind("AGE-SECRET-KEY-1", 0) != 0) {
      throw InvalidInput("identity file " + path + " line " + std::to_string(number) +
                         " is not an X25519 identity (AGE-SECRET-KEY-1...); plugin identities are not supported");
    }
    try {
      keys.push_back(ParseAgeIdentity(line));
    } catch (const Error&) {
      throw InvalidInput("identity file " + path + " line " + std::to_string(number) +
                         " is not a valid age identity; regenerate it with age-keygen");
    }
    OPENSSL_cleanse(line.data(), line.size());
  }
  if (keys.empty()) {
    throw InvalidInput("identity file " + path + " contains no AGE-SECRET-KEY-1... line");
  }
  return keys;
}

std::string FormatAgeRecipient(const X25519Key& public_key) {
  return EncodeBech32("age", public_key);
}

std::string FormatAgeIdentity(const X25519Key& private_key) {
  std::string text = EncodeBech32("age-secret-key-", private_key);
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

X25519Key X25519PublicKey(const X25519Key& private_key) {
  PkeyPtr pkey = PrivateKey(private_key);
  X25519Key public_key{};
  size_t length = public_key.size();
  if (EVP_PKEY_get_raw_public_key(pkey.get(), public_key.data(), &length) != 1) {
    throw IOError("OpenSSL failed to compute an X25519 public key");
  }
  return public_key;
}

AgeStanza WrapFileKeyForX25519(const AgeFileKey& file_key, const X25519Key& recipient,
                               RandomSource& random) {
  X25519Key ephemeral{};
  random.fill(ephemeral);
  X25519Key share = X25519PublicKey(ephemeral);
  X25519Key shared = SharedSecret(ephemeral, recipient);
  OPENSSL_cleanse(ephemeral.data(), ephemeral.size());
  if (shared == X25519Key{}) {
    throw InvalidInput("age recipient " + FormatAgeRecipient(recipient) +
                       " is a low-order point and cannot receive files; use a key from age-keygen");
  }

  std::array<uint8_t, 32> wrap_key = WrapKey(shared, share, recipient);
  AeadCipher cipher(AeadAlgorithm::kChaCha20Poly1305, wrap_key);
  OPENSSL_cleanse(wrap_key.data(), wrap_key.size());
  OPENSSL_cleanse(shared.data(), shared.size());

  AgeStanza stanza{{"X25519", EncodeBase64Unpadded(share)}, std::vector<uint8_t>(32)};
  cipher.seal(AeadNonce{}, {}, file_key, stanza.body);
  return stanza;
}

std::optional<AgeFileKey> UnwrapFileKeyForX25519(const AgeStanza& stanza,
                                                 const X25519Key& identity,
                                                 const std::string& file_label) {
  if (stanza.args.empty() || stanza.args[0] != "X25519") {
    return std::nullopt;
  }
  auto share_bytes = stanza.args.size() == 2 ? DecodeBase64Unpadded(stanza.args[1]) : std::nullopt;
  if (!share_bytes || share_bytes->size() != 32 || stanza.body.size() != 32) {
    throw InvalidInput(file_label + " has a malformed X25519 recipient stanza");
  }
  X25519Key share{};
  std::copy(share_bytes->begin(), share_bytes->end(), share.begin());

  X25519Key shared = SharedSecret(identity, share);
  if (shared == X25519Key{}) {
    return std::nullopt;
  }
  std::array<uint8_t, 32> wrap_key = WrapKey(shared, share, X25519PublicKey(identity));
  AeadCipher cipher(AeadAlgorithm::kChaCha20Poly1305, wrap_key);
  OPENSSL_cleanse(wrap_key.data(), wrap_key.size());
  OPENSSL_cleanse(shared.data(), shared.size());

  AgeFileKey file_key{};
  if (!cipher.open(AeadNonce{}, {}, stanza.body, file_key)) {
    return std::nullopt;
  }
  return file_key;
}

}  // namespace sluice
