// The RLE / bit-packed hybrid encoding of Parquet definition levels and
// dictionary indices. The data is a sequence of runs, each starting with a
// ULEB128 header: (count << 1) for an RLE run of `count` copies of one value
// stored in ceil(bit_width / 8) little-endian bytes, or (groups << 1 | 1) for
// groups * 8 values bit-packed least significant bit first.
//
// Example, bit width 1, values 1 x 10 then 0 1 0: RLE run 0x14 0x01, then a
// bit-packed group 0x03 0x02 (0,1,0 and five zero pads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::parquet {

// Appends the hybrid encoding of values[0, count) to `out`.
// REQUIRES: every value fits in bit_width bits, 0 <= bit_width <= 32.
void EncodeRleBitPacked(const uint32_t* values, size_t count, int bit_width, std::string& out);
void EncodeRleBitPacked(const uint8_t* values, size_t count, int bit_width, std::string& out);

// Packs values LSB first, bit_width bits each, appending ceil(count * bit_width / 8) bytes.
void AppendBitPacked(const uint32_t* values, size_t count, int bit_width, std::string& out);

// Bits needed for values up to max_value (0 for 0).
int BitWidth(uint64_t max_value);

// Reads hybrid-encoded values. Malformed or short data throws InvalidInput.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder(std::string_view data, int bit_width);

  // Decodes the next `count` values into out; throws when the data ends first.
  void decode(uint32_t* out, size_t count);
  void decode(uint8_t* out, size_t count);

 private:
  void next_run();
  template <class T>
  void decode_into(T* out, size_t count);

  std::string_view data_;
  size_t pos_ = 0;
  int bit_width_;
  uint32_t run_value_ = 0;
  size_t rle_left_ = 0;         // values left in the current RLE run
  size_t packed_left_ = 0;      // values left in the current bit-packed run
  size_t packed_bit_pos_ = 0;   // bit offset of the next packed value in data_
};

}  // namespace sluice::parquet
