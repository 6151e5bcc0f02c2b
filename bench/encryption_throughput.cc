// Measures the Sluice container's cipher path alone on one thread: encrypts
// N bytes through SluiceContainerWriter into a sink that discards them, then
// decrypts the same amount through SluiceContainerReader from memory, and
// times one scrypt key derivation at the default cost. bench/encryption.sh
// builds and runs it.
//
// Usage: encryption_throughput [MiB]   (default 1024)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "transforms/encryption/sluice_container_reader.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace {

class CountingSink : public sluice::ByteSink {
 public:
  explicit CountingSink(std::string* keep = nullptr) : keep_(keep) {}
  void write(std::string_view data) override {
    bytes_ += data.size();
    if (keep_ != nullptr) keep_->append(data);
  }
  void commit() override {}
  void abort() noexcept override {}
  uint64_t bytes_written() const override { return bytes_; }

 private:
  std::string* keep_;
  uint64_t bytes_ = 0;
};

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t mebibytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
  const uint64_t total = mebibytes << 20;
  const sluice::ScryptParams fast_scrypt{10, 8, 1};  // key setup is timed separately below
  std::string block(1 << 20, 'x');

  sluice::RandomSource random;
  auto start = std::chrono::steady_clock::now();
  sluice::SluiceContainerWriter writer(std::make_unique<CountingSink>(), "bench", fast_scrypt,
                                       random);
  for (uint64_t written = 0; written < total; written += block.size()) {
    writer.write(block);
  }
  writer.commit();
  double encrypt_seconds = Seconds(start);

  // Decrypts a 64 MiB container repeatedly, so the input stays in memory.
  std::string ciphertext;
  sluice::SluiceContainerWriter sample(std::make_unique<CountingSink>(&ciphertext), "bench",
                                       fast_scrypt, random);
  for (int i = 0; i < 64; ++i) sample.write(block);
  sample.commit();
  uint64_t rounds = (mebibytes + 63) / 64;
  double decrypt_seconds = 0;
  for (uint64_t round = 0; round < rounds; ++round) {
    std::istringstream in(ciphertext);
    sluice::SluiceContainerReader reader(in, "sample");
    reader.unlock("bench");
    CountingSink out;
    start = std::chrono::steady_clock::now();
    reader.decrypt_to(out);
    decrypt_seconds += Seconds(start);
  }

  start = std::chrono::steady_clock::now();
  sluice::ContainerParams params;
  sluice::DeriveContainerKeys("bench", params);
  double scrypt_seconds = Seconds(start);

  const double gigabyte = 1e9;
  std::printf("encrypt: %.2f GB/s (%llu MiB in %.2f s)\n", total / gigabyte / encrypt_seconds,
              static_cast<unsigned long long>(mebibytes), encrypt_seconds);
  std::printf("decrypt: %.2f GB/s (%llu MiB in %.2f s)\n",
              rounds * (64.0 * (1 << 20)) / gigabyte / decrypt_seconds,
              static_cast<unsigned long long>(rounds * 64), decrypt_seconds);
  std::printf("scrypt N=2^%d r=%u p=%u: %.0f ms\n", params.scrypt.log_n, params.scrypt.r,
              params.scrypt.p, scrypt_seconds * 1000);
  return 0;
}
