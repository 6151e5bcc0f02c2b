#include "transforms/encryption/scrypt_kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>
#include <string>

#include "sluice/error.h"

namespace sluice {

uint64_t ScryptMemoryBytes(const ScryptParams& params) {
  if (params.log_n < 0 || params.log_n > 40 || params.r > (uint32_t{1} << 20) ||
      params.p > (uint32_t{1} << 20)) {
    return UINT64_MAX;
  }
  // OpenSSL allocates 128 * r * (N + 2) bytes for V plus 128 * r * p for B.
  uint64_t n = uint64_t{1} << params.log_n;
  return 128 * uint64_t{params.r} * (n + 2 + params.p);
}

void ValidateScryptParams(const ScryptParams& params, std::string_view what) {
  std::string name(what);
  if (params.log_n < 1 || params.log_n > 30) {
    throw InvalidInput(name + ": scrypt log2(N) " + std::to_string(params.log_n) +
                       " is outside 1..30");
  }
  if (params.r == 0 || params.p == 0 || uint64_t{params.r} * params.p >= (uint64_t{1} << 30)) {
    throw InvalidInput(name + ": scrypt r=" + std::to_string(params.r) + " p=" +
                       std::to_string(params.p) + " is invalid; r and p must be at least 1 and r * p < 2^30");
  }
  uint64_t max_r = (kMaxScryptMemoryBytes / 128) >> params.log_n;  // avoids overflowing 128 * r * N
  if (params.r > max_r) {
    throw InvalidInput(name + ": scrypt cost N=2^" + std::to_string(params.log_n) + " r=" +
                       std::to_string(params.r) + " needs more than 1 GiB of memory; lower N or r");
  }
}

void DeriveScryptKey(std::string_view password, std::span<const uint8_t> salt,
                     const ScryptParams& params, std::span<uint8_t> out) {
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(
      EVP_KDF_fetch(nullptr, "SCRYPT", nullptr), EVP_KDF_free);
  if (!kdf) {
    throw IOError("OpenSSL provides no SCRYPT key derivation; install OpenSSL 3 with the default provider");
  }
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                EVP_KDF_CTX_free);

  uint64_t n = uint64_t{1} << params.log_n;
  uint32_t r = params.r;
  uint32_t p = params.p;
  uint64_t max_memory = ScryptMemoryBytes(params) + (uint64_t{1} << 20);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<char*>(password.data()), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end(),
  };
  if (!ctx || EVP_KDF_derive(ctx.get(), out.data(), out.size(), ossl_params) != 1) {
    throw IOError("scrypt key derivation failed (N=2^" + std::to_string(params.log_n) +
                  "); check that enough memory is free");
  }
}

}  // namespace sluice
