#include "core/batch.h"

namespace sluice {

void Column::append_null() {
  validity_.push_back(0);
  switch (type_.id) {
    case TypeId::kBoolean: bools_.push_back(0); break;
    case TypeId::kFloat64: doubles_.push_back(0.0); break;
    case TypeId::kDecimal: decimals_.push_back(0); break;
    case TypeId::kString:
    case TypeId::kBinary: append_offset(); break;
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: int64s_.push_back(0); break;
  }
}

void Column::append_bool(bool value) {
  validity_.push_back(1);
  bools_.push_back(value ? 1 : 0);
}

void Column::append_int64(int64_t value) {
  validity_.push_back(1);
  int64s_.push_back(value);
}

void Column::append_double(double value) {
  validity_.push_back(1);
  doubles_.push_back(value);
}

void Column::append_decimal(Int128 unscaled) {
  validity_.push_back(1);
  decimals_.push_back(unscaled);
}

void Column::append_bytes(std::string_view value) {
  validity_.push_back(1);
  bytes_.append(value.data(), value.size());
  append_offset();
}

void Column::append_rows(const Column& other, size_t begin, size_t end) {
  validity_.insert(validity_.end(), other.validity_.begin() + begin, other.validity_.begin() + end);
  switch (type_.id) {
    case TypeId::kBoolean:
      bools_.insert(bools_.end(), other.bools_.begin() + begin, other.bools_.begin() + end);
      break;
    case TypeId::kFloat64:
      doubles_.insert(doubles_.end(), other.doubles_.begin() + begin, other.doubles_.begin() + end);
      break;
    case TypeId::kDecimal:
      decimals_.insert(decimals_.end(), other.decimals_.begin() + begin,
                       other.decimals_.begin() + end);
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      for (size_t row = begin; row < end; ++row) {
        std::string_view value = other.bytes_at(row);
        bytes_.append(value.data(), value.size());
        append_offset();
      }
      break;
    case TypeId::kInt64:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      int64s_.insert(int64s_.end(), other.int64s_.begin() + begin, other.int64s_.begin() + end);
      break;
  }
}

void Column::clear() {
  validity_.clear();
  bools_.clear();
  int64s_.clear();
  doubles_.clear();
  decimals_.clear();
  offsets_.resize(1);
  bytes_.clear();
}

size_t Column::byte_size() const {
  return validity_.size() + bools_.size() + int64s_.size() * sizeof(int64_t) +
         doubles_.size() * sizeof(double) + decimals_.size() * sizeof(Int128) +
         (offsets_.size() - 1) * sizeof(uint64_t) + bytes_.size();
}

void Batch::reset(const Schema& schema) {
  columns_.clear();
  columns_.reserve(schema.size());
  for (const Field& field : schema) columns_.emplace_back(field.type);
}

void Batch::clear() {
  for (Column& column : columns_) column.clear();
}

void Batch::assign_rows(const Batch& source, size_t begin, size_t end) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    columns_[i].clear();
    columns_[i].append_rows(source.column(i), begin, end);
  }
}

size_t Batch::byte_size() const {
  size_t total = 0;
  for (const Column& column : columns_) total += column.byte_size();
  return total;
}

}  // namespace sluice
