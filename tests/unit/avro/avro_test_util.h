// Test helpers for the Avro writer: a minimal reader of the container
// framing (header, blocks) and primitive encodings.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>


namespace sluice::testing {

// Reads Avro binary primitives from a byte string.
class AvroInput {
 public:
  explicit AvroInput(std::string_view data) : data_(data) {}

  int64_t read_long() {
    uint64_t n = 0;
    int shift = 0;
    while (true) {
      auto byte = static_cast<unsigned char>(data_.at(position_++));
      n |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
      shift += 7;
    }
    return static_cast<int64_t>((n >> 1) ^ (~(n & 1) + 1));
  }
  std::string read_fixed(size_t size) {
    std::string out(data_.substr(position_, size));
    if (out.size() != size) throw std::out_of_range("truncated Avro data");
    position_ += size;
    return out;
  }
  std::string read_bytes() { return read_fixed(static_cast<size_t>(read_long())); }
  double read_double() {
    std::string raw = read_fixed(8);
    double value;
    std::memcpy(&value, raw.data(), 8);
    return value;
  }
  bool at_end() const { return position_ == data_.size(); }
  size_t position() const { return position_; }

 private:
  std::string_view data_;
  size_t position_ = 0;
};

struct AvroBlock {
  int64_t count = 0;
  std::string data;  // as stored, still compressed
  std::string sync;
};

struct AvroContainer {
  std::map<std::string, std::string> metadata;
  std::string sync;
  std::vector<AvroBlock> blocks;
};

inline AvroContainer ParseContainer(const std::string& file) {
  AvroContainer container;
  EXPECT_EQ(file.substr(0, 4), std::string("Obj\x01", 4));
  AvroInput input(std::string_view(file).substr(4));
  for (int64_t count = input.read_long(); count != 0; count = input.read_long()) {
    if (count < 0) {
      count = -count;
      input.read_long();  // block size in bytes
    }
    for (int64_t i = 0; i < count; ++i) {
      std::string key = input.read_bytes();
      container.metadata[key] = input.read_bytes();
    }
  }
  container.sync = input.read_fixed(16);
  while (!input.at_end()) {
    AvroBlock block;
    block.count = input.read_long();
    block.data = input.read_bytes();
    block.sync = input.read_fixed(16);
    container.blocks.push_back(std::move(block));
  }
  return container;
}

}  // namespace sluice::testing
