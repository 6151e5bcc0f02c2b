#include "formats/parquet/rle_bit_packed.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace sluice::parquet {

namespace {

void AppendUleb128(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

template <class T>
void AppendRleRun(T value, size_t count, int bit_width, std::string& out) {
  AppendUleb128(static_cast<uint64_t>(count) << 1, out);
  uint32_t wide = value;
  for (int byte = 0; byte < (bit_width + 7) / 8; ++byte) {
    out.push_back(static_cast<char>((wide >> (8 * byte)) & 0xFF));
  }
}

// Appends values as one bit-packed run, padding with zeros to whole groups of 8.
template <class T>
void AppendPackedRun(const T* values, size_t count, int bit_width, std::string& out) {
  size_t groups = (count + 7) / 8;
  AppendUleb128((static_cast<uint64_t>(groups) << 1) | 1, out);
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < groups * 8; ++i) {
    uint64_t value = i < count ? static_cast<uint64_t>(values[i]) : 0;
    buffer |= value << bits;
    bits += bit_width;
    while (bits >= 8) {
      out.push_back(static_cast<char>(buffer & 0xFF));
      buffer >>= 8;
      bits -= 8;
    }
  }
}

// Values are grouped into runs: a stretch of at least 8 equal values becomes
// an RLE run, everything between becomes bit-packed. A bit-packed run other
// than the last must hold a multiple of 8 values, so it borrows the first few
// values of the following repeat to round itself up.
template <class T>
void EncodeHybrid(const T* values, size_t count, int bit_width, std::string& out) {
  if (bit_width == 0) {
    if (count > 0) AppendRleRun<T>(0, count, 0, out);
    return;
  }
  size_t literal_start = 0;
  size_t i = 0;
  while (i < count) {
    size_t run_end = i + 1;
    while (run_end < count && values[run_end] == values[i]) ++run_end;
    size_t run = run_end - i;
    size_t literal = i - literal_start;
    size_t borrow = (8 - literal % 8) % 8;
    if (run >= 8 + borrow) {
      if (literal > 0) AppendPackedRun(values + literal_start, literal + borrow, bit_width, out);
      AppendRleRun(values[i], run - borrow, bit_width, out);
      literal_start = run_end;
    }
    i = run_end;
  }
  if (literal_start < count) {
    AppendPackedRun(values + literal_start, count - literal_start, bit_width, out);
  }
}

}  // namespace

int BitWidth(uint64_t max_value) {
  int width = 0;
  while (max_value != 0) {
    ++width;
    max_value >>= 1;
  }
  return width;
}

void EncodeRleBitPacked(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  EncodeHybrid(values, count, bit_width, out);
}

void EncodeRleBitPacked(const uint8_t* values, size_t count, int bit_width, std::string& out) {
  EncodeHybrid(values, count, bit_width, out);
}

void AppendBitPacked(const uint32_t* values, size_t count, int bit_width, std::string& out) {
  uint64_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < count; ++i) {
    buffer |= static_cast<uint64_t>(values[i]) << bits;
    bits += bit_width;
    while (bits >= 8) {
      out.push_back(static_cast<char>(buffer & 0xFF));
      buffer >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.push_back(static_cast<char>(buffer & 0xFF));
}

RleBitPackedDecoder::RleBitPackedDecoder(std::string_view data, int bit_width)
    : data_(data), bit_width_(bit_width) {
  if (bit_width < 0 || bit_width > 32) {
    throw InvalidInput("corrupt Parquet page: RLE bit width " + std::to_string(bit_width) +
                       " is outside 0..32");
  }
}

void RleBitPackedDecoder::next_run() {
  uint64_t header = 0;
  for (int shift = 0;; shift += 7) {
    if (pos_ >= data_.size() || shift > 63) {
      throw InvalidInput("corrupt Parquet page: RLE/bit-packed data ends before its values");
    }
    uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
    header |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (header & 1) {
    uint64_t groups = header >> 1;
    uint64_t bytes = groups * bit_width_;
    // A run may be cut short at the end of the data: writers may omit padding.
    packed_left_ = std::min<uint64_t>(groups * 8, (data_.size() - pos_) * 8 / std::max(bit_width_, 1));
    if (bit_width_ == 0) packed_left_ = groups * 8;
    packed_bit_pos_ = pos_ * 8;
    pos_ += std::min<uint64_t>(bytes, data_.size() - pos_);
  } else {
    rle_left_ = header >> 1;
    int width_bytes = (bit_width_ + 7) / 8;
    if (data_.size() - pos_ < static_cast<size_t>(width_bytes)) {
      throw InvalidInput("corrupt Parquet page: RLE run value past the end of the data");
    }
    run_value_ = 0;
    for (int byte = 0; byte < width_bytes; ++byte) {
      run_value_ |= static_cast<uint32_t>(static_cast<uint8_t>(data_[pos_ + byte])) << (8 * byte);
    }
    pos_ += width_bytes;
    if (bit_width_ < 32 && (run_value_ >> bit_width_) != 0) {
      throw InvalidInput("corrupt Parquet page: RLE run value " + std::to_string(run_value_) +
                         " does not fit in " + std::to_string(bit_width_) + " bits");
    }
  }
}

template <class T>
void RleBitPackedDecoder::decode_into(T* out, size_t count) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data_.data());
  uint64_t mask = bit_width_ == 0 ? 0 : (~uint64_t{0} >> (64 - bit_width_));
  while (count > 0) {
    if (rle_left_ == 0 && packed_left_ == 0) next_run();
    if (rle_left_ > 0) {
      size_t n = std::min(count, rle_left_);
      std::fill(out, out + n, static_cast<T>(run_value_));
      out += n;
      count -= n;
      rle_left_ -= n;
      continue;
    }
    size_t n = std::min(count, packed_left_);
    for (size_t i = 0; i < n; ++i) {
      size_t byte = packed_bit_pos_ / 8;
      int shift = static_cast<int>(packed_bit_pos_ % 8);
      uint64_t word = 0;
      std::memcpy(&word, bytes + byte, std::min<size_t>(8, data_.size() - byte));
      // A 32-bit value shifted by up to 7 bits needs 39 bits, within one 64-bit word.
      out[i] = static_cast<T>((word >> shift) & mask);
      packed_bit_pos_ += bit_width_;
    }
    out += n;
    count -= n;
    packed_left_ -= n;
  }
}

void RleBitPackedDecoder::decode(uint32_t* out, size_t count) { decode_into(out, count); }
void RleBitPackedDecoder::decode(uint8_t* out, size_t count) { decode_into(out, count); }

}  // namespace sluice::parquet
