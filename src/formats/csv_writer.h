// CsvWriter: RFC 4180 CSV with configurable delimiter, quote, quoting mode,
// null text, line ending, byte order mark and date/time formats.
//
// Quoting rules, in both modes:
// - A null is written as the null string, unquoted.
// - A string equal to the null string is quoted, so null and that string stay
//   distinguishable (with the default empty null string, "" is an empty string
//   and nothing between delimiters is a null).
// - A quote character inside a quoted field is doubled.
// Minimal quoting also quotes a field that contains the delimiter, the quote,
// CR or LF, or that starts or ends with a space or tab, because many readers
// trim unquoted whitespace. Always quoting quotes every non-null field,
// numbers included. Column names in the header follow the same rules.
//
// Value text:
// - booleans: true, false
// - int64 and decimals: exact, a decimal with all digits of its scale (1.10)
// - doubles: the shortest round-trip text, and NaN, Infinity, -Infinity
// - binary: base64
// - dates: YYYY-MM-DD, or the date format when set
// - timestamps: YYYY-MM-DDTHH:MM:SS[.ffffff], timestamptz in UTC with a
//   trailing Z. A timestamp format, when set, applies to both, with
//   timestamptz values in UTC and no zone added.
//
// With formula_guard set, string cells and column names that start with
// = + - @ tab or CR get a leading apostrophe (see formula_guard.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/buffer_reservation.h"
#include "formats/format_writer.h"
#include "formats/value_text.h"
#include "sluice/options.h"

namespace sluice {

class CsvWriter : public FormatWriter {
 public:
  // Throws InvalidInput for options that would make the output ambiguous or
  // unreadable: a delimiter equal to the quote, CR or LF as delimiter or quote,
  // a null string holding the delimiter, quote or a line break, a line ending
  // other than "\n" or "\r\n", or an unknown date/time format specifier.
  explicit CsvWriter(const CsvWriteOptions& options);

  void begin(const Schema& schema, ByteSink& sink) override;
  void write_batch(const Batch& batch) override;
  void finish() override;

  // The state is the count of altered values: the header, when there is one,
  // is already in the sink.
  std::optional<std::string> checkpoint_state() override;
  void restore(const Schema& schema, ByteSink& sink, const std::string& state) override;

  // String cells (and column names) changed by the formula guard.
  uint64_t altered_values() const override { return altered_values_; }

  // Reserves the output buffer from `memory` (null: no budget) once a long
  // row grows it past kUnreservedBufferBytes (rows are flushed at 1 MiB).
  // NOTE: a row's encoded size is only known once it is encoded, so the
  // reservation follows each row: one row may pass the limit before
  // write_batch() throws Error(kMemoryLimit).
  void set_memory_governor(MemoryGovernor* memory) { reservation_.set_governor(memory, buffer_.capacity()); }

 private:
  // Appends the unquoted text of a non-null, non-string value.
  using ValueAppender = void (CsvWriter::*)(const Column& column, size_t row);

  struct ColumnPlan {
    ValueAppender append_value = nullptr;  // unused for string columns
    bool is_string = false;
    bool check_quoting = false;  // the value text may need quotes
  };

  ColumnPlan plan_column(const DataType& type) const;
  void encode_row(const Batch& batch, size_t row);
  void append_string_field(std::string_view text);
  void append_quoted(std::string_view text);
  void quote_plain_field(size_t start);
  bool needs_quotes(std::string_view text) const;
  void flush();

  void append_bool(const Column& column, size_t row);
  void append_int64(const Column& column, size_t row);
  void append_float64(const Column& column, size_t row);
  void append_decimal(const Column& column, size_t row);
  void append_binary(const Column& column, size_t row);
  void append_date(const Column& column, size_t row);
  void append_timestamp(const Column& column, size_t row);
  void append_timestamptz(const Column& column, size_t row);

  CsvWriteOptions options_;
  bool always_quote_;
  bool special_[256] = {};  // bytes that force quoting: delimiter, quote, CR, LF
  std::optional<TemporalPattern> date_pattern_;
  std::optional<TemporalPattern> timestamp_pattern_;

  ByteSink* sink_ = nullptr;
  std::vector<ColumnPlan> plans_;
  std::string buffer_;   // encoded rows not yet handed to the sink
  BufferReservation reservation_{"CSV writer output buffer"};  // covers buffer_.capacity()
  std::string scratch_;  // a field being rewritten with quotes or a guard
  uint64_t altered_values_ = 0;
};

}  // namespace sluice
