#include "formats/parquet/dictionary_encoder.h"

#include <cstring>

#include "core/free_buffer.h"

namespace sluice::parquet {

namespace {

constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ULL;

uint64_t Mix(uint64_t value) {
  value ^= value >> 32;
  value *= kMultiplier;
  value ^= value >> 29;
  return value;
}

// A word-at-a-time hash; distribution matters here, not resistance to
// crafted input, because a bad case only slows one column chunk.
uint64_t HashBytes(std::string_view value) {
  uint64_t hash = value.size() * kMultiplier;
  size_t i = 0;
  for (; i + 8 <= value.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, value.data() + i, 8);
    hash = Mix(hash ^ word) + i;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, value.data() + i, value.size() - i);
  return Mix(hash ^ tail ^ (value.size() << 56));
}

}  // namespace

std::string_view DictionaryEncoder::entry(uint32_t index) const {
  if (fixed_width_ > 0) return std::string_view(plain_).substr(size_t{index} * fixed_width_, fixed_width_);
  size_t start = offsets_[index];
  size_t end = index + 1 < offsets_.size() ? offsets_[index + 1] - 4 : plain_.size();
  return std::string_view(plain_).substr(start, end - start);
}

void DictionaryEncoder::grow() {
  size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(capacity, 0);
  size_t mask = capacity - 1;
  for (uint32_t i = 0; i < hashes_.size(); ++i) {
    size_t slot = hashes_[i] & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = i + 1;
  }
}

uint32_t DictionaryEncoder::insert(std::string_view value, bool& added) {
  if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
  uint64_t hash = HashBytes(value);
  size_t mask = slots_.size() - 1;
  size_t slot = hash & mask;
  while (slots_[slot] != 0) {
    uint32_t index = slots_[slot] - 1;
    if (hashes_[index] == hash && entry(index) == value) {
      added = false;
      return index;
    }
    slot = (slot + 1) & mask;
  }

  auto index = static_cast<uint32_t>(hashes_.size());
  slots_[slot] = index + 1;
  hashes_.push_back(hash);
  if (fixed_width_ == 0) {
    auto length = static_cast<uint32_t>(value.size());
    char prefix[4];
    std::memcpy(prefix, &length, 4);
    plain_.append(prefix, 4);
    offsets_.push_back(static_cast<uint32_t>(plain_.size()));
  }
  plain_.append(value);
  added = true;
  return index;
}

void DictionaryEncoder::clear() {
  plain_.clear();
  offsets_.clear();
  hashes_.clear();
  slots_.clear();
}

void DictionaryEncoder::release_memory() {
  FreeBuffer(plain_);
  offsets_ = std::vector<uint32_t>();
  hashes_ = std::vector<uint64_t>();
  slots_ = std::vector<uint32_t>();
}

}  // namespace sluice::parquet
