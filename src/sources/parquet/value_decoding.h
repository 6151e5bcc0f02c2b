// Decoding of Parquet value encodings into Sluice values: PLAIN,
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
// BYTE_STREAM_SPLIT and RLE (booleans). Dictionary indices are decoded by
// the column chunk reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.h"
#include "formats/parquet/parquet_metadata.h"
#include "sources/parquet/column_spec.h"

namespace sluice::parquet {

// Values of one page or dictionary, already converted to the column's
// Sluice representation; only the vector of the column's ValueKind is used.
struct DecodedValues {
  std::vector<int64_t> ints;       // kBool (0/1) and kInt
  std::vector<double> doubles;
  std::vector<Int128> decimals;
  std::vector<uint64_t> offsets{0};  // kBytes: value i is bytes[offsets[i], offsets[i+1])
  std::string bytes;

  size_t size(ValueKind kind) const;
  void clear();
  std::string_view bytes_at(size_t i) const {
    return std::string_view(bytes).substr(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

// Decodes exactly `count` non-null values of `encoding` from `data` and
// appends them to `out`. Throws InvalidInput when the data is malformed or
// holds fewer values, or the encoding does not apply to the physical type.
void DecodeValues(const ColumnSpec& spec, Encoding encoding, std::string_view data, size_t count,
                  DecodedValues& out);

// Decodes a DELTA_BINARY_PACKED stream of exactly `count` values; returns the
// bytes it took. Values wrap as two's complement, as the encoding defines.
size_t DecodeDeltaBinaryPacked(std::string_view data, size_t count, std::vector<int64_t>& out);

}  // namespace sluice::parquet
