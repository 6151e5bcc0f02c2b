// Decrypts a Sluice container (see sluice_container_format.h) from a stream.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "sinks/byte_sink.h"
#include "transforms/encryption/sluice_container_format.h"

namespace sluice {

class SluiceContainerReader {
 public:
  // Reads and checks the header fields. Throws InvalidInput naming
  // `file_label` when the magic is missing, the header is truncated, or its
  // version, algorithms or scrypt costs are unsupported.
  SluiceContainerReader(std::istream& in, std::string file_label);
  ~SluiceContainerReader();

  const ContainerParams& params() const { return params_; }

  // Derives the keys and checks the header MAC. Throws InvalidInput when the
  // password is wrong (or the header itself was modified; the two look alike).
  void unlock(std::string_view password);

  // Decrypts every segment into `out`, verifying each before writing it.
  // Returns the plaintext byte count; does not commit `out`.
  // REQUIRES: unlock() succeeded.
  uint64_t decrypt_to(ByteSink& out);

 private:
  std::istream& in_;
  std::string file_label_;
  std::string fields_;  // header bytes 0..47
  std::string mac_;     // header bytes 48..79
  ContainerParams params_;
  std::unique_ptr<ContainerKeys> keys_;
};

}  // namespace sluice
