#include "sinks/hashing_sink.h"

#include <openssl/evp.h>

#include "core/error.h"

namespace sluice {

HashingSink::HashingSink(std::unique_ptr<ByteSink> inner)
    : inner_(std::move(inner)), context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorKind::kInternal, "cannot initialise SHA-256 from OpenSSL");
  }
}

HashingSink::~HashingSink() { EVP_MD_CTX_free(context_); }

void HashingSink::write(std::string_view data) {
  EVP_DigestUpdate(context_, data.data(), data.size());
  bytes_ += data.size();
  inner_->write(data);
}

void HashingSink::commit() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_, digest, &length);
  static const char kHex[] = "0123456789abcdef";
  digest_hex_.clear();
  for (unsigned int i = 0; i < length; ++i) {
    digest_hex_.push_back(kHex[digest[i] >> 4]);
    digest_hex_.push_back(kHex[digest[i] & 15]);
  }
  inner_->commit();
}

void HashingSink::abort() noexcept { inner_->abort(); }

}  // namespace sluice
