// HashingSink: passes bytes through to another sink while counting them and
// computing their SHA-256, so a split export's manifest can list each part's
// size and digest without reading the part back.
#pragma once

#include <memory>
#include <string>

#include "sinks/byte_sink.h"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace sluice {

class HashingSink : public ByteSink {
 public:
  explicit HashingSink(std::unique_ptr<ByteSink> inner);
  ~HashingSink() override;

  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_; }

  // Lower-case hex SHA-256 of every byte written. REQUIRES: commit() returned.
  const std::string& sha256_hex() const { return digest_hex_; }

 private:
  std::unique_ptr<ByteSink> inner_;
  EVP_MD_CTX* context_;
  uint64_t bytes_ = 0;
  std::string digest_hex_;
};

}  // namespace sluice
