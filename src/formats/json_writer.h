// JsonWriter: NDJSON (one object per line, each ending in '\n') or one JSON
// array of objects.
//
// Array layout: compact is "[{...},{...}]\n"; pretty puts each row on its own
// line indented by two spaces, with a space after ':' and ','. Zero rows give
// "[]\n" in both layouts. Keys are the column names, escaped, in schema order.
//
// Value text:
// - null: null; booleans: true, false
// - int64 and decimals: JSON numbers with every digit, a decimal keeping its
//   scale (1.10)
// - finite doubles: the shortest text that parses back to the same bits.
//   NaN, Infinity and -Infinity become the strings "NaN", "Infinity" and
//   "-Infinity" because JSON numbers cannot express them.
// - dates: "YYYY-MM-DD"; timestamps: "YYYY-MM-DDTHH:MM:SS[.ffffff]" without a
//   zone; timestamptz: the same in UTC followed by "Z"
// - binary: base64 strings
// Bytes of a string that are not valid UTF-8 become U+FFFD, and each such
// string is counted in altered_values().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/buffer_reservation.h"
#include "formats/format_writer.h"
#include "sluice/options.h"

namespace sluice {

class JsonWriter : public FormatWriter {
 public:
  // `array` selects a JSON array; otherwise NDJSON. options.pretty applies
  // to the array only.
  JsonWriter(bool array, const JsonWriteOptions& options);

  void begin(const Schema& schema, ByteSink& sink) override;
  void write_batch(const Batch& batch) override;
  void finish() override;

  // The state is the rows written (a JSON array needs a ',' before every
  // row but the first) and the count of altered values.
  std::optional<std::string> checkpoint_state() override;
  void restore(const Schema& schema, ByteSink& sink, const std::string& state) override;

  // Reserves the output buffer from `memory` (null: no budget) once a long
  // row grows it past kUnreservedBufferBytes (rows are flushed at 1 MiB).
  // NOTE: a row's encoded size is only known once it is encoded, so the
  // reservation follows each row: one row may pass the limit before
  // write_batch() throws Error(kMemoryLimit).
  void set_memory_governor(MemoryGovernor* memory) { reservation_.set_governor(memory, buffer_.capacity()); }

  // Strings that held bytes outside valid UTF-8.
  uint64_t altered_values() const override { return altered_values_; }

 private:
  void prepare_keys(const Schema& schema);
  void encode_row(const Batch& batch, size_t row);
  void append_value(const Column& column, size_t row);
  void flush();

  bool array_;
  bool pretty_;

  ByteSink* sink_ = nullptr;
  std::vector<std::string> key_prefixes_;  // per column: separator, quoted key and ':'
  std::string row_open_;                   // text before the first key of a row
  std::string row_close_;                  // text after the last value of a row
  std::string buffer_;
  BufferReservation reservation_{"JSON writer output buffer"};  // covers buffer_.capacity()
  uint64_t rows_written_ = 0;
  uint64_t altered_values_ = 0;
};

}  // namespace sluice
