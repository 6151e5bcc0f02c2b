// Decrypts an age v1 file from a stream, with a passphrase (scrypt stanza) or
// X25519 identities.
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/byte_sink.h"
#include "transforms/encryption/age_header.h"
#include "transforms/encryption/x25519_recipient.h"

namespace sluice {

class AgeReader {
 public:
  // Reads the header. Throws InvalidInput naming `file_label` for a malformed
  // header or an scrypt stanza that is not alone.
  AgeReader(std::istream& in, std::string file_label);
  ~AgeReader();

  // True when the file was encrypted to a passphrase rather than to keys.
  bool needs_passphrase() const;

  // Throw InvalidInput when the passphrase is wrong, no identity matches a
  // stanza, or the header MAC does not match the unwrapped file key.
  void unlock_with_passphrase(std::string_view passphrase);
  void unlock_with_identities(const std::vector<X25519Key>& identities);

  // Decrypts every chunk into `out`, verifying each before writing it.
  // Returns the plaintext byte count; does not commit `out`.
  // REQUIRES: an unlock call succeeded.
  uint64_t decrypt_to(ByteSink& out);

 private:
  void accept_file_key(const AgeFileKey& file_key);

  std::istream& in_;
  std::string file_label_;
  AgeHeader header_;
  std::optional<AgeFileKey> file_key_;
};

}  // namespace sluice
