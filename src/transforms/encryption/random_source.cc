#include "transforms/encryption/random_source.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <climits>

#include "sluice/error.h"

namespace sluice {

void RandomSource::fill(std::span<uint8_t> out) {
  if (!test_seed_) {
    if (out.size() > INT_MAX || RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
      throw IOError("reading random bytes from OpenSSL failed; check the system entropy source");
    }
    return;
  }

  size_t filled = 0;
  while (filled < out.size()) {
    std::array<uint8_t, 16> input{};
    for (int i = 0; i < 8; ++i) {
      input[i] = static_cast<uint8_t>(*test_seed_ >> (56 - 8 * i));
      input[8 + i] = static_cast<uint8_t>(counter_ >> (56 - 8 * i));
    }
    ++counter_;

    std::array<uint8_t, 32> block{};
    unsigned int length = 0;
    EVP_Digest(input.data(), input.size(), block.data(), &length, EVP_sha256(), nullptr);
    size_t take = std::min(out.size() - filled, block.size());
    std::copy_n(block.begin(), take, out.begin() + filled);
    filled += take;
  }
}

}  // namespace sluice
