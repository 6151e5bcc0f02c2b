#include "transforms/encryption/sluice_container_writer.h"

#include <openssl/crypto.h>

#include "sluice/error.h"

namespace sluice {

SluiceContainerWriter::SluiceContainerWriter(std::unique_ptr<ByteSink> inner,
                                             std::string_view password,
                                             const ScryptParams& scrypt, RandomSource& random)
    : inner_(std::move(inner)) {
  params_.scrypt = scrypt;
  random.fill(params_.salt);
  random.fill(params_.nonce_prefix);
  if (password.empty()) {
    throw InvalidInput("encryption password is empty; supply a non-empty password");
  }
  ValidateScryptParams(params_.scrypt, "encryption options");
  keys_ = std::async(std::launch::async, [secret = std::string(password), params = params_]() mutable {
    auto keys = std::make_unique<ContainerKeys>(DeriveContainerKeys(secret, params));
    OPENSSL_cleanse(secret.data(), secret.size());
    return keys;
  });
}

void SluiceContainerWriter::wait_for_keys() {
  if (keys_.valid()) keys_.wait();
  scrypt_memory_.release();
}

void SluiceContainerWriter::begin_sealing() {
  std::unique_ptr<ContainerKeys> keys = keys_.get();
  inner_->write(make_sealer(*keys, 0));
}

SluiceContainerWriter::SluiceContainerWriter(std::unique_ptr<ByteSink> inner,
                                             std::string_view password,
                                             const SluiceContainerState& state,
                                             std::string_view stored_header, std::string_view file_label)
    : inner_(std::move(inner)), params_(state.params) {
  start(password, state.segments_sealed, stored_header, file_label);
}

SluiceContainerWriter::~SluiceContainerWriter() {
  if (!closed_) {
    abort();
  }
}

void SluiceContainerWriter::start(std::string_view password, uint64_t first_counter,
                                  std::string_view stored_header, std::string_view file_label) {
  if (password.empty()) {
    throw InvalidInput("encryption password is empty; supply a non-empty password");
  }
  ValidateScryptParams(params_.scrypt, "encryption options");

  ContainerKeys keys = DeriveContainerKeys(password, params_);
  if (!stored_header.empty()) CheckContainerHeaderMac(stored_header, keys, file_label);
  std::string header = make_sealer(keys, first_counter);
  if (first_counter == 0) {
    inner_->write(header);
  }
}

std::string SluiceContainerWriter::make_sealer(const ContainerKeys& keys, uint64_t first_counter) {
  std::string header = EncodeContainerHeader(params_, keys);
  auto cipher = std::make_unique<AeadCipher>(AeadAlgorithm::kAes256Gcm, keys.payload);
  ContainerNoncePrefix prefix = params_.nonce_prefix;
  sealer_.emplace(
      std::move(cipher), header,
      [prefix](uint64_t counter, bool last) { return ContainerSegmentNonce(prefix, counter, last); },
      kContainerSegmentBytes, kContainerMaxSegments, first_counter);
  return header;
}

void SluiceContainerWriter::write(std::string_view data) {
  if (!sealer_) begin_sealing();
  sealer_->write(data, *inner_);
  bytes_written_ += data.size();
}

void SluiceContainerWriter::commit() {
  if (!sealer_) begin_sealing();
  sealer_->finish(*inner_);
  inner_->commit();
  closed_ = true;
}

void SluiceContainerWriter::abort() noexcept {
  closed_ = true;
  if (inner_) {
    inner_->abort();
  }
}

SluiceContainerState SluiceContainerWriter::state() const {
  return SluiceContainerState{params_, sealer_ ? sealer_->segments_sealed() : 0};
}

}  // namespace sluice
