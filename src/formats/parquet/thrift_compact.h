// The Thrift compact protocol, written and read by hand for the few Parquet
// metadata structures (file metadata, schema, row groups, column chunks,
// statistics, page headers). libthrift would add a runtime dependency and a
// code generator for about ten structs whose wire form is a few varints.
//
// Wire form: a struct is a sequence of fields, each a header byte
// (field-id delta << 4 | type) or, when the delta is not 1..15, the type byte
// followed by the zigzag-varint field id; a 0 byte ends the struct. Integers
// are zigzag varints, binary is a varint length and the bytes, a bool field
// carries its value in the type (1 true, 2 false).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::parquet {

enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// Appends compact-protocol bytes to a string. Fields must be written in
// increasing id order within a struct, as the generated code does.
class ThriftWriter {
 public:
  explicit ThriftWriter(std::string& out) : out_(out) {}

  void begin_struct() { last_ids_.push_back(last_id_); last_id_ = 0; }
  void end_struct();

  void field_i16(int16_t id, int16_t value);
  void field_i32(int16_t id, int32_t value);
  void field_i64(int16_t id, int64_t value);
  void field_bool(int16_t id, bool value);
  void field_binary(int16_t id, std::string_view value);
  // Starts a struct-valued field; close it with end_struct().
  void field_struct(int16_t id);
  // Starts a list-valued field of `size` elements of `element` type.
  void field_list(int16_t id, ThriftType element, size_t size);

  // List elements.
  void i32(int32_t value) { varint(Zigzag(value)); }
  void binary(std::string_view value);

  void varint(uint64_t value);
  static uint64_t Zigzag(int64_t value) {
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  }

 private:
  void field_header(int16_t id, ThriftType type);

  std::string& out_;
  int16_t last_id_ = 0;
  std::vector<int16_t> last_ids_;
};

// Reads compact-protocol bytes. Every read checks the bounds; malformed input
// throws InvalidInput with a message starting "corrupt Thrift metadata".
class ThriftReader {
 public:
  explicit ThriftReader(std::string_view data) : data_(data) {}

  // Reads a struct, calling on_field(id, type) for each field; the callback
  // reads the value with the methods below or calls skip(type).
  template <class OnField>
  void read_struct(OnField&& on_field) {
    enter();
    int16_t last_id = 0;
    for (;;) {
      int16_t id = 0;
      ThriftType type = next_field(last_id, id);
      if (type == ThriftType::kStop) break;
      on_field(id, type);
    }
    --depth_;
  }

  int32_t read_i32();
  int64_t read_i64();
  int8_t read_byte();
  double read_double();
  std::string_view read_binary();
  // A bool field's value from its type byte.
  static bool BoolFromType(ThriftType type) { return type == ThriftType::kBoolTrue; }
  // Reads a list header; returns the element count and sets `element`.
  size_t read_list_header(ThriftType& element);
  void skip(ThriftType type);

  size_t position() const { return pos_; }

 private:
  ThriftType next_field(int16_t& last_id, int16_t& id);
  uint64_t read_varint();
  uint8_t read_u8();
  void enter();
  [[noreturn]] void fail(const char* what) const;

  std::string_view data_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace sluice::parquet
