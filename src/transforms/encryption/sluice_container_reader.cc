#include "transforms/encryption/sluice_container_reader.h"

#include "sluice/error.h"
#include "transforms/encryption/hkdf_sha256.h"
#include "transforms/encryption/stream_opener.h"

namespace sluice {

SluiceContainerReader::SluiceContainerReader(std::istream& in, std::string file_label)
    : in_(in), file_label_(std::move(file_label)) {
  std::string header(kContainerHeaderBytes, '\0');
  in_.read(header.data(), static_cast<std::streamsize>(header.size()));
  if (in_.bad()) {
    throw IOError("reading " + file_label_ + " failed; check that the file is readable");
  }
  header.resize(static_cast<size_t>(in_.gcount()));

  if (header.substr(0, kContainerMagic.size()) != kContainerMagic) {
    throw InvalidInput(file_label_ + " is not a Sluice encrypted file (no \"SLUICENC\" magic)");
  }
  if (header.size() < kContainerHeaderBytes) {
    throw InvalidInput(file_label_ + " is truncated: its header has " +
                       std::to_string(header.size()) + " of 80 bytes");
  }

  fields_ = header.substr(0, kContainerFieldsBytes);
  mac_ = header.substr(kContainerFieldsBytes);
  params_ = DecodeContainerFields(fields_, file_label_);
}

SluiceContainerReader::~SluiceContainerReader() = default;

void SluiceContainerReader::unlock(std::string_view password) {
  auto keys = std::make_unique<ContainerKeys>(DeriveContainerKeys(password, params_));
  CheckContainerHeaderMac(fields_ + mac_, *keys, file_label_);
  keys_ = std::move(keys);
}

uint64_t SluiceContainerReader::decrypt_to(ByteSink& out) {
  AeadCipher cipher(AeadAlgorithm::kAes256Gcm, keys_->payload);
  std::string header = fields_ + mac_;
  auto aad = std::span(reinterpret_cast<const uint8_t*>(header.data()), header.size());
  ContainerNoncePrefix prefix = params_.nonce_prefix;
  StreamLayout layout{kContainerSegmentBytes, kContainerMaxSegments, kContainerHeaderBytes};
  return OpenStream(
      in_, cipher, aad,
      [prefix](uint64_t counter, bool last) { return ContainerSegmentNonce(prefix, counter, last); },
      layout, file_label_, out);
}

}  // namespace sluice
