// Random bytes for salts, nonce prefixes, file keys and ephemeral secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace sluice {

// Draws from OpenSSL's CSPRNG, or, when built with a test seed, from
// SHA-256(seed || counter) so tests get the same bytes on every run.
// Not thread-safe: one instance per writer.
class RandomSource {
 public:
  explicit RandomSource(std::optional<uint64_t> test_seed = std::nullopt)
      : test_seed_(test_seed) {}

  // Fills `out`. Throws sluice::Error when the CSPRNG fails.
  void fill(std::span<uint8_t> out);

 private:
  std::optional<uint64_t> test_seed_;
  uint64_t counter_ = 0;  // SHA-256 blocks drawn so far in seeded mode
};

}  // namespace sluice
