// Column chunk statistics: null count and min/max in the sort order of the
// column's logical type.
//
// Integers, dates, timestamps and decimals compare as signed numbers, and a
// FIXED_LEN_BYTE_ARRAY decimal compares as a signed big-endian integer.
// Strings and binary compare as unsigned bytes. Doubles ignore NaN. A zero
// min is written as -0.0 and a zero max as +0.0, so both bound either sign of zero.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/batch.h"
#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {

// Byte-array min/max longer than this are truncated to a prefix; a truncated
// max is then incremented so it still bounds the values from above.
constexpr size_t kMaxStatisticsBytes = 64;

class StatisticsBuilder {
 public:
  // physical: the column's Parquet type; type_length: FLBA width in bytes.
  StatisticsBuilder(PhysicalType physical, int type_length, bool is_utf8)
      : physical_(physical), type_length_(type_length), is_utf8_(is_utf8) {}

  void add_nulls(uint64_t count) { null_count_ += count; }
  void update_bool(bool value);
  void update_int(int64_t value);     // INT32 and INT64 columns
  void update_double(double value);
  void update_decimal(Int128 value);  // FIXED_LEN_BYTE_ARRAY decimals
  void update_bytes(std::string_view value);

  // The statistics of everything added since the last reset().
  Statistics finish() const;
  void reset();

 private:
  PhysicalType physical_;
  int type_length_;
  bool is_utf8_;
  bool has_value_ = false;
  uint64_t null_count_ = 0;
  int64_t min_int_ = 0, max_int_ = 0;
  double min_double_ = 0, max_double_ = 0;
  Int128 min_decimal_ = 0, max_decimal_ = 0;
  std::string min_bytes_, max_bytes_;
};

// Returns the largest prefix of at most `limit` bytes; for UTF-8 text the cut
// falls on a character boundary.
std::string TruncateMin(std::string_view value, size_t limit, bool is_utf8);
// Returns a string that sorts at or after `value`, at most `limit` bytes when
// one exists: a prefix with its last byte incremented (for UTF-8 text, its
// last ASCII character below 0x7F, so the result stays valid UTF-8). Sets
// `exact` to false when the result differs from `value`; when no short bound
// exists (a prefix of only 0xFF bytes), returns `value` itself.
std::string TruncateMax(std::string_view value, size_t limit, bool is_utf8, bool& exact);

// Big-endian two's complement of `value` in `width` bytes (FLBA decimals).
std::string DecimalToBigEndian(Int128 value, int width);
// The same bytes written to out[0, width). REQUIRES: 1 <= width <= 16.
void WriteBigEndian(Int128 value, int width, char* out);

}  // namespace sluice::parquet
