// Column-oriented batches: the unit a Source hands to a FormatWriter.
//
// A batch holds about one chunk of input (chunk size, 8 KB to 4 MB). Each
// column stores its values in the one vector that matches its type, plus one
// validity byte per row. A null row still occupies a slot in the value
// vector (with a zero value) so row i is always at index i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/data_type.h"

namespace sluice {

using Int128 = __int128;

class Column {
 public:
  Column() = default;
  explicit Column(DataType type) : type_(type) {}

  const DataType& type() const { return type_; }
  size_t size() const { return validity_.size(); }
  bool is_null(size_t row) const { return validity_[row] == 0; }

  // Accessors; REQUIRES: the column's type matches the accessor.
  bool bool_at(size_t row) const { return bools_[row] != 0; }
  // int64, date (days), timestamp and timestamptz (microseconds).
  int64_t int64_at(size_t row) const { return int64s_[row]; }
  double double_at(size_t row) const { return doubles_[row]; }
  Int128 decimal_at(size_t row) const { return decimals_[row]; }
  // string and binary.
  std::string_view bytes_at(size_t row) const {
    return std::string_view(bytes_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
  }

  void append_null();
  void append_bool(bool value);
  void append_int64(int64_t value);
  void append_double(double value);
  void append_decimal(Int128 unscaled);
  void append_bytes(std::string_view value);
  // Appends rows [begin, end) of `other`. REQUIRES: other has the same type.
  void append_rows(const Column& other, size_t begin, size_t end);

  // Removes every row but keeps capacity, so a reused batch stops allocating.
  void clear();
  // Bytes held by the values (not capacity), for chunk sizing and memory accounting.
  size_t byte_size() const;

  const std::vector<uint8_t>& validity() const { return validity_; }
  const std::vector<int64_t>& int64s() const { return int64s_; }
  const std::vector<double>& doubles() const { return doubles_; }

 private:
  void append_offset() { offsets_.push_back(bytes_.size()); }

  DataType type_;
  std::vector<uint8_t> validity_;  // 1 = value present, 0 = null
  std::vector<uint8_t> bools_;
  std::vector<int64_t> int64s_;
  std::vector<double> doubles_;
  std::vector<Int128> decimals_;
  std::vector<uint64_t> offsets_{0};  // string/binary: row i is bytes_[offsets_[i], offsets_[i+1])
  std::string bytes_;
};

class Batch {
 public:
  Batch() = default;
  explicit Batch(const Schema& schema) { reset(schema); }

  // Replaces the columns with empty ones of the schema's types.
  void reset(const Schema& schema);
  void clear();

  size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  size_t num_columns() const { return columns_.size(); }
  Column& column(size_t i) { return columns_[i]; }
  const Column& column(size_t i) const { return columns_[i]; }
  size_t byte_size() const;

  // Replaces this batch's rows with rows [begin, end) of `source`.
  // REQUIRES: this batch was reset() with the source's schema.
  void assign_rows(const Batch& source, size_t begin, size_t end);

 private:
  std::vector<Column> columns_;
};

}  // namespace sluice
