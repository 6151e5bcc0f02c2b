#include "formats/parquet/thrift_compact.h"

#include <cstring>

#include "core/error.h"

namespace sluice::parquet {

namespace {

// Nesting deeper than this is corrupt (Parquet metadata nests about 5 levels)
// and would otherwise let a crafted footer exhaust the stack.
constexpr int kMaxDepth = 32;

}  // namespace

void ThriftWriter::end_struct() {
  out_.push_back(static_cast<char>(ThriftType::kStop));
  last_id_ = last_ids_.back();
  last_ids_.pop_back();
}

void ThriftWriter::varint(uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void ThriftWriter::field_header(int16_t id, ThriftType type) {
  int delta = id - last_id_;
  if (delta > 0 && delta <= 15) {
    out_.push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_.push_back(static_cast<char>(type));
    varint(Zigzag(id));
  }
  last_id_ = id;
}

void ThriftWriter::field_i16(int16_t id, int16_t value) {
  field_header(id, ThriftType::kI16);
  varint(Zigzag(value));
}

void ThriftWriter::field_i32(int16_t id, int32_t value) {
  field_header(id, ThriftType::kI32);
  varint(Zigzag(value));
}

void ThriftWriter::field_i64(int16_t id, int64_t value) {
  field_header(id, ThriftType::kI64);
  varint(Zigzag(value));
}

void ThriftWriter::field_bool(int16_t id, bool value) {
  field_header(id, value ? ThriftType::kBoolTrue : ThriftType::kBoolFalse);
}

void ThriftWriter::field_binary(int16_t id, std::string_view value) {
  field_header(id, ThriftType::kBinary);
  binary(value);
}

void ThriftWriter::binary(std::string_view value) {
  varint(value.size());
  out_.append(value);
}

void ThriftWriter::field_struct(int16_t id) {
  field_header(id, ThriftType::kStruct);
  begin_struct();
}

void ThriftWriter::field_list(int16_t id, ThriftType element, size_t size) {
  field_header(id, ThriftType::kList);
  if (size < 15) {
    out_.push_back(static_cast<char>((size << 4) | static_cast<int>(element)));
  } else {
    out_.push_back(static_cast<char>(0xF0 | static_cast<int>(element)));
    varint(size);
  }
}

void ThriftReader::fail(const char* what) const {
  throw InvalidInput(std::string("corrupt Thrift metadata: ") + what + " at byte " +
                     std::to_string(pos_));
}

void ThriftReader::enter() {
  if (++depth_ > kMaxDepth) fail("structures nested too deeply");
}

uint8_t ThriftReader::read_u8() {
  if (pos_ >= data_.size()) fail("unexpected end of data");
  return static_cast<uint8_t>(data_[pos_++]);
}

uint64_t ThriftReader::read_varint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    uint8_t byte = read_u8();
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  fail("varint longer than 10 bytes");
}

static int64_t Unzigzag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

ThriftType ThriftReader::next_field(int16_t& last_id, int16_t& id) {
  uint8_t header = read_u8();
  auto type = static_cast<ThriftType>(header & 0x0F);
  if (type == ThriftType::kStop) return type;
  int delta = header >> 4;
  if (delta != 0) {
    id = static_cast<int16_t>(last_id + delta);
  } else {
    id = static_cast<int16_t>(Unzigzag(read_varint()));
  }
  last_id = id;
  return type;
}

int32_t ThriftReader::read_i32() { return static_cast<int32_t>(Unzigzag(read_varint())); }

int64_t ThriftReader::read_i64() { return Unzigzag(read_varint()); }

int8_t ThriftReader::read_byte() { return static_cast<int8_t>(read_u8()); }

double ThriftReader::read_double() {
  if (data_.size() - pos_ < 8) fail("unexpected end of data");
  double value;
  std::memcpy(&value, data_.data() + pos_, 8);
  pos_ += 8;
  return value;
}

std::string_view ThriftReader::read_binary() {
  uint64_t size = read_varint();
  if (size > data_.size() - pos_) fail("binary field longer than the data");
  std::string_view value = data_.substr(pos_, size);
  pos_ += size;
  return value;
}

size_t ThriftReader::read_list_header(ThriftType& element) {
  uint8_t header = read_u8();
  element = static_cast<ThriftType>(header & 0x0F);
  uint64_t size = header >> 4;
  if (size == 15) size = read_varint();
  // Every element takes at least one byte, except bools inside a list which
  // also take one, so a longer list cannot fit in the remaining data.
  if (size > data_.size() - pos_) fail("list longer than the data");
  return size;
}

void ThriftReader::skip(ThriftType type) {
  switch (type) {
    case ThriftType::kBoolTrue:
    case ThriftType::kBoolFalse:
      return;
    case ThriftType::kByte:
      read_u8();
      return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      read_varint();
      return;
    case ThriftType::kDouble:
      read_double();
      return;
    case ThriftType::kBinary:
      read_binary();
      return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      size_t size = read_list_header(element);
      enter();
      for (size_t i = 0; i < size; ++i) {
        // Bools inside a collection take one byte each.
        if (element == ThriftType::kBoolTrue || element == ThriftType::kBoolFalse) {
          read_u8();
        } else {
          skip(element);
        }
      }
      --depth_;
      return;
    }
    case ThriftType::kMap: {
      uint64_t size = read_varint();
      if (size == 0) return;
      if (size > data_.size() - pos_) fail("map longer than the data");
      uint8_t types = read_u8();
      enter();
      for (uint64_t i = 0; i < size; ++i) {
        skip(static_cast<ThriftType>(types >> 4));
        skip(static_cast<ThriftType>(types & 0x0F));
      }
      --depth_;
      return;
    }
    case ThriftType::kStruct:
      read_struct([this](int16_t, ThriftType field_type) { skip(field_type); });
      return;
    default:
      fail("unknown field type");
  }
}

}  // namespace sluice::parquet
