#include "formats/parquet/statistics.h"

#include <cmath>
#include <cstring>

namespace sluice::parquet {

namespace {

template <class T>
std::string LittleEndian(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

bool IsUtf8Continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

void StatisticsBuilder::update_bool(bool value) { update_int(value ? 1 : 0); }

void StatisticsBuilder::update_int(int64_t value) {
  if (!has_value_) {
    min_int_ = max_int_ = value;
    has_value_ = true;
    return;
  }
  if (value < min_int_) min_int_ = value;
  if (value > max_int_) max_int_ = value;
}

void StatisticsBuilder::update_double(double value) {
  if (std::isnan(value)) return;
  if (!has_value_) {
    min_double_ = max_double_ = value;
    has_value_ = true;
    return;
  }
  if (value < min_double_) min_double_ = value;
  if (value > max_double_) max_double_ = value;
}

void StatisticsBuilder::update_decimal(Int128 value) {
  if (!has_value_) {
    min_decimal_ = max_decimal_ = value;
    has_value_ = true;
    return;
  }
  if (value < min_decimal_) min_decimal_ = value;
  if (value > max_decimal_) max_decimal_ = value;
}

void StatisticsBuilder::update_bytes(std::string_view value) {
  if (!has_value_) {
    min_bytes_.assign(value);
    max_bytes_.assign(value);
    has_value_ = true;
    return;
  }
  // std::string_view compares as unsigned bytes (char_traits<char>::compare uses memcmp).
  if (value < std::string_view(min_bytes_)) min_bytes_.assign(value);
  if (value > std::string_view(max_bytes_)) max_bytes_.assign(value);
}

Statistics StatisticsBuilder::finish() const {
  Statistics stats;
  stats.null_count = static_cast<int64_t>(null_count_);
  if (!has_value_) return stats;
  switch (physical_) {
    case PhysicalType::kBoolean:
      stats.min_value = std::string(1, static_cast<char>(min_int_));
      stats.max_value = std::string(1, static_cast<char>(max_int_));
      break;
    case PhysicalType::kInt32:
      stats.min_value = LittleEndian(static_cast<int32_t>(min_int_));
      stats.max_value = LittleEndian(static_cast<int32_t>(max_int_));
      break;
    case PhysicalType::kInt64:
      stats.min_value = LittleEndian(min_int_);
      stats.max_value = LittleEndian(max_int_);
      break;
    case PhysicalType::kDouble:
      stats.min_value = LittleEndian(min_double_ == 0 ? -0.0 : min_double_);
      stats.max_value = LittleEndian(max_double_ == 0 ? 0.0 : max_double_);
      break;
    case PhysicalType::kFixedLenByteArray:
      stats.min_value = DecimalToBigEndian(min_decimal_, type_length_);
      stats.max_value = DecimalToBigEndian(max_decimal_, type_length_);
      break;
    default: {
      stats.min_value = TruncateMin(min_bytes_, kMaxStatisticsBytes, is_utf8_);
      stats.min_exact = stats.min_value->size() == min_bytes_.size();
      stats.max_value = TruncateMax(max_bytes_, kMaxStatisticsBytes, is_utf8_, stats.max_exact);
      break;
    }
  }
  return stats;
}

void StatisticsBuilder::reset() {
  has_value_ = false;
  null_count_ = 0;
  min_bytes_.clear();
  max_bytes_.clear();
}

std::string TruncateMin(std::string_view value, size_t limit, bool is_utf8) {
  if (value.size() <= limit) return std::string(value);
  size_t cut = limit;
  if (is_utf8) {
    while (cut > 0 && IsUtf8Continuation(static_cast<unsigned char>(value[cut]))) --cut;
  }
  return std::string(value.substr(0, cut));
}

std::string TruncateMax(std::string_view value, size_t limit, bool is_utf8, bool& exact) {
  exact = true;
  if (value.size() <= limit) return std::string(value);
  std::string prefix(value.substr(0, limit));
  // Drop bytes from the end until one can be incremented; the incremented
  // prefix then sorts after every string that starts with the shorter prefix.
  while (!prefix.empty()) {
    auto last = static_cast<unsigned char>(prefix.back());
    bool can_increment = is_utf8 ? last < 0x7F : last < 0xFF;
    if (can_increment) {
      prefix.back() = static_cast<char>(last + 1);
      exact = false;
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(value);
}

void WriteBigEndian(Int128 value, int width, char* out) {
  auto bits = static_cast<unsigned __int128>(value);
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>(bits & 0xFF);
    bits >>= 8;
  }
}

std::string DecimalToBigEndian(Int128 value, int width) {
  std::string bytes(width, '\0');
  WriteBigEndian(value, width, bytes.data());
  return bytes;
}

}  // namespace sluice::parquet
