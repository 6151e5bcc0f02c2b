// The dictionary of one column chunk: distinct values in first-seen order,
// kept in their PLAIN encoding so the dictionary page is ready to write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::parquet {

class DictionaryEncoder {
 public:
  // fixed_width: the bytes of each value (4, 8 or a FIXED_LEN_BYTE_ARRAY
  // width), or 0 for BYTE_ARRAY values, which PLAIN prefixes with a 4-byte length.
  explicit DictionaryEncoder(int fixed_width) : fixed_width_(fixed_width) {}

  // Returns the index of `value`, adding it at the end when it is new; sets
  // `added` to whether it was new.
  uint32_t insert(std::string_view value, bool& added);

  size_t size() const { return hashes_.size(); }
  // The dictionary page's body: every entry in index order, PLAIN-encoded.
  const std::string& plain() const { return plain_; }
  // Memory held: entries plus the hash table.
  size_t memory_bytes() const { return plain_.size() + slots_.size() * 4 + hashes_.size() * 12; }
  // Allocated memory, including the capacity clear() keeps for the next chunk.
  size_t held_bytes() const {
    return plain_.capacity() + offsets_.capacity() * 4 + hashes_.capacity() * 8 + slots_.capacity() * 4;
  }
  void clear();
  // Clears the dictionary and frees its buffers instead of keeping them.
  void release_memory();

 private:
  std::string_view entry(uint32_t index) const;
  void grow();

  int fixed_width_;
  std::string plain_;
  std::vector<uint32_t> offsets_;  // BYTE_ARRAY: start of entry i's bytes in plain_
  std::vector<uint64_t> hashes_;   // hash of entry i
  std::vector<uint32_t> slots_;    // open addressing: entry index + 1, 0 = empty
};

}  // namespace sluice::parquet
