#include "transforms/encryption/sluice_container_format.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "sluice/error.h"
#include "transforms/encryption/hkdf_sha256.h"

namespace sluice {

namespace {

void PutBigEndian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>(value >> shift));
  }
}

uint32_t GetBigEndian32(std::string_view bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[offset + i]);
  }
  return value;
}

}  // namespace

ContainerKeys::~ContainerKeys() {
  OPENSSL_cleanse(payload.data(), payload.size());
  OPENSSL_cleanse(header.data(), header.size());
}

std::string EncodeContainerFields(const ContainerParams& params) {
  std::string out(kContainerMagic);
  out.push_back(static_cast<char>(kContainerVersion));
  out.push_back(static_cast<char>(kContainerCipherAes256Gcm));
  out.push_back(static_cast<char>(kContainerKdfScrypt));
  out.push_back(static_cast<char>(params.scrypt.log_n));
  PutBigEndian32(out, params.scrypt.r);
  PutBigEndian32(out, params.scrypt.p);
  PutBigEndian32(out, kContainerSegmentBytes);
  out.append(params.salt.begin(), params.salt.end());
  out.append(params.nonce_prefix.begin(), params.nonce_prefix.end());
  out.push_back('\0');
  return out;
}

ContainerParams DecodeContainerFields(std::string_view fields, std::string_view file_label) {
  const std::string label(file_label);
  auto byte = [&](size_t offset) { return static_cast<uint8_t>(fields[offset]); };

  if (byte(8) != kContainerVersion) {
    throw InvalidInput(label + " is a Sluice container of version " + std::to_string(byte(8)) +
                       ", but this build reads only version 1; decrypt it with a newer sluice");
  }
  if (byte(9) != kContainerCipherAes256Gcm || byte(10) != kContainerKdfScrypt) {
    throw InvalidInput(label + " names an unknown cipher (" + std::to_string(byte(9)) +
                       ") or key derivation (" + std::to_string(byte(10)) +
                       "); the header is corrupt or from a newer sluice");
  }
  if (GetBigEndian32(fields, 20) != kContainerSegmentBytes) {
    throw InvalidInput(label + " has segment size " + std::to_string(GetBigEndian32(fields, 20)) +
                       ", but version 1 uses 65536; the header is corrupt");
  }
  if (byte(47) != 0) {
    throw InvalidInput(label + " has a non-zero reserved header byte; the header is corrupt");
  }

  ContainerParams params;
  params.scrypt.log_n = byte(11);
  params.scrypt.r = GetBigEndian32(fields, 12);
  params.scrypt.p = GetBigEndian32(fields, 16);
  ValidateScryptParams(params.scrypt, label);
  std::copy_n(fields.begin() + 24, kContainerSaltBytes, params.salt.begin());
  std::copy_n(fields.begin() + 40, kContainerNoncePrefixBytes, params.nonce_prefix.begin());
  return params;
}

ContainerKeys DeriveContainerKeys(std::string_view password, const ContainerParams& params) {
  std::array<uint8_t, 64> derived{};
  DeriveScryptKey(password, params.salt, params.scrypt, derived);

  ContainerKeys keys;
  std::copy_n(derived.begin(), 32, keys.payload.begin());
  std::copy_n(derived.begin() + 32, 32, keys.header.begin());
  OPENSSL_cleanse(derived.data(), derived.size());
  return keys;
}

std::string EncodeContainerHeader(const ContainerParams& params, const ContainerKeys& keys) {
  std::string header = EncodeContainerFields(params);
  Sha256Digest mac = HmacSha256(keys.header, header);
  header.append(mac.begin(), mac.end());
  return header;
}

void CheckContainerHeaderMac(std::string_view header, const ContainerKeys& keys, std::string_view file_label) {
  bool matches = false;
  if (header.size() == kContainerHeaderBytes) {
    Sha256Digest expected = HmacSha256(keys.header, header.substr(0, kContainerFieldsBytes));
    std::string_view mac = header.substr(kContainerFieldsBytes);
    matches = ConstantTimeEqual(expected, std::span(reinterpret_cast<const uint8_t*>(mac.data()), mac.size()));
  }
  if (!matches) {
    throw InvalidInput("wrong password for " + std::string(file_label) +
                       " (the header check failed; if the password is right, the header was modified)");
  }
}

AeadNonce ContainerSegmentNonce(const ContainerNoncePrefix& prefix, uint64_t counter, bool last) {
  AeadNonce nonce{};
  std::copy(prefix.begin(), prefix.end(), nonce.begin());
  for (int i = 0; i < 4; ++i) {
    nonce[7 + i] = static_cast<uint8_t>(counter >> (24 - 8 * i));
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

}  // namespace sluice
