// A ByteSink that encrypts everything written to it into a Sluice container
// (see sluice_container_format.h) and passes the ciphertext to an inner sink.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sinks/byte_sink.h"
#include "sluice/memory_governor.h"
#include "transforms/encryption/random_source.h"
#include "transforms/encryption/sluice_container_format.h"
#include "transforms/encryption/stream_sealer.h"

namespace sluice {

// What a checkpoint stores to continue a container later. Contains no secret:
// the key is derived again from the password and salt.
struct SluiceContainerState {
  ContainerParams params;
  uint64_t segments_sealed = 0;  // segments the inner sink has received
};

class SluiceContainerWriter final : public ByteSink {
 public:
  // Starts a new container: draws the salt and nonce prefix from `random`
  // and starts deriving the keys (scrypt, slow by design) on a thread of its
  // own, while the caller opens the source and reads the first rows. The
  // first write() waits for them unless wait_for_keys() did. The header goes
  // to the inner sink with the first sealed segment. Throws InvalidInput for an empty password or
  // out-of-bounds scrypt costs.
  SluiceContainerWriter(std::unique_ptr<ByteSink> inner, std::string_view password,
                        const ScryptParams& scrypt, RandomSource& random);

  // Continues a container from `state`. With state.segments_sealed == 0 it
  // writes the header as for a new file. Otherwise the inner sink already
  // holds the header and that many segments, and the next write() must start
  // at plaintext offset segments_sealed * 65536.
  //
  // `stored_header`, when not empty, is the 80-byte header already in the
  // file. Before anything is written, the password is checked against its MAC
  // as `sluice decrypt` does, and a mismatch throws InvalidInput ("wrong
  // password for `file_label`"), because continuing with another password
  // would give a file that no password opens.
  SluiceContainerWriter(std::unique_ptr<ByteSink> inner, std::string_view password,
                        const SluiceContainerState& state, std::string_view stored_header = {},
                        std::string_view file_label = {});

  ~SluiceContainerWriter() override;

  // Holds `scrypt`, the reservation for scrypt's working memory, until
  // wait_for_keys() or destruction.
  void hold_key_derivation_memory(MemoryReservation scrypt) { scrypt_memory_ = std::move(scrypt); }

  // Waits until a new container's keys are derived, then releases the
  // scrypt reservation. The export calls it once per container on its own
  // thread before encoding the first rows, so a writer that sizes its
  // buffers by the free memory (Parquet row groups) gets the same budget
  // however long scrypt took. REQUIRES: no write() has started yet.
  void wait_for_keys();

  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

  // NOTE: a state taken between segment boundaries excludes the buffered
  // plaintext (pending_bytes()); a resume must replay it.
  SluiceContainerState state() const;
  size_t pending_bytes() const { return sealer_ ? sealer_->pending_bytes() : 0; }

 private:
  void start(std::string_view password, uint64_t first_counter, std::string_view stored_header = {},
             std::string_view file_label = {});
  // Builds the sealer from `keys` and returns the header.
  std::string make_sealer(const ContainerKeys& keys, uint64_t first_counter);
  // Waits for the keys of a new container and writes its header.
  void begin_sealing();

  std::unique_ptr<ByteSink> inner_;
  ContainerParams params_;
  std::future<std::unique_ptr<ContainerKeys>> keys_;  // a new container's keys, until begun
  MemoryReservation scrypt_memory_;
  std::optional<StreamSealer> sealer_;
  uint64_t bytes_written_ = 0;
  bool closed_ = false;
};

}  // namespace sluice
