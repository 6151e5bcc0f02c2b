// A ByteSink that encrypts everything written to it as an age v1 file: a
// header wrapping a random file key for each recipient, then a 16-byte nonce
// and ChaCha20-Poly1305 chunks of 64 KiB keyed by
// HKDF-SHA-256(file key, nonce, "payload"). The `age` tool decrypts the output.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sinks/byte_sink.h"
#include "transforms/encryption/random_source.h"
#include "transforms/encryption/stream_sealer.h"
#include "transforms/encryption/x25519_recipient.h"

namespace sluice {

// Either a passphrase (one scrypt stanza) or one or more X25519 recipients.
struct AgeRecipients {
  std::string passphrase;
  int scrypt_log_n = 18;
  std::vector<X25519Key> x25519;
};

constexpr size_t kAgeChunkBytes = 64 * 1024;

// Nonce of payload chunk `counter`: 11-byte big-endian counter || last flag.
AeadNonce AgeChunkNonce(uint64_t counter, bool last);

class AgeWriter final : public ByteSink {
 public:
  // Draws the file key and nonce from `random` and writes the header.
  // Throws InvalidInput when both or neither kind of recipient is given.
  AgeWriter(std::unique_ptr<ByteSink> inner, const AgeRecipients& recipients,
            RandomSource& random);
  ~AgeWriter() override;

  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

 private:
  std::unique_ptr<ByteSink> inner_;
  std::optional<StreamSealer> sealer_;
  uint64_t bytes_written_ = 0;
  bool closed_ = false;
};

}  // namespace sluice
