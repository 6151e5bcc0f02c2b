// CsvTokenizer: splits a byte stream into CSV records and fields (RFC 4180).
//
// Input is read in blocks into one buffer. A record's fields are views into
// that buffer, or into a scratch string when a quoted field had doubled
// quotes or escapes to remove, so reading a field allocates nothing in the
// common case. Views stay valid until the next call to next_record().
//
// Records end at LF, CRLF or a lone CR; inside quotes all three are data.
// A UTF-8 byte-order mark at the start of the input is skipped. Malformed
// records (an unterminated quote, text after a closing quote, invalid UTF-8,
// a NUL byte) are still returned whole, with problem() set, so the caller
// decides whether to fail or skip them.
//
// A record is held whole, so the buffer grows to the longest record (and to
// the sample while a mark is set). With a memory governor, that growth is
// reserved before the larger block is allocated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/buffer_reservation.h"
#include "sources/input_stream.h"

namespace sluice {

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';  // equal to quote: a quote inside quotes is doubled
};

enum class CsvProblem : uint8_t {
  kNone,
  kUnterminatedQuote,  // the input ended inside a quoted field
  kTextAfterQuote,     // a closing quote followed by something other than a delimiter or line end
  kInvalidUtf8,
  kNulByte,
};

// A place in the input for messages, all 1-based: the physical line
// (counting LF, CRLF and lone CR line breaks, also those inside quotes) and
// the byte offset within that line.
struct TextPosition {
  uint64_t line = 1;
  uint64_t column = 1;
};

constexpr size_t kCsvBlockBytes = 256 * 1024;

class CsvTokenizer {
 public:
  CsvTokenizer(ReadFunction read, CsvDialect dialect, size_t block_bytes = kCsvBlockBytes);

  // Reserves the buffer's growth from `memory` from now on (null: no
  // budget). A record that needs more than the budget allows makes
  // next_record() throw Error(kMemoryLimit).
  void set_memory_governor(MemoryGovernor* memory) {
    reservation_.set_governor(memory, capacity_);
    scratch_reservation_.set_governor(memory, scratch_.capacity());
  }

  // Reads the next record; returns false at the end of the input.
  bool next_record();

  size_t num_fields() const { return fields_.size(); }
  std::string_view field(size_t i) const {
    const Field& f = fields_[i];
    const char* base = f.in_scratch ? scratch_.data() : buffer_.get();
    return std::string_view(base + f.begin, f.size);
  }
  bool field_quoted(size_t i) const { return fields_[i].quoted; }

  // A record that is one empty, unquoted field: an empty line.
  bool record_is_empty_line() const {
    return fields_.size() == 1 && fields_[0].size == 0 && !fields_[0].quoted;
  }

  // The first problem found in the current record, the field it is in
  // (0-based) and where it is.
  CsvProblem problem() const { return problem_; }
  size_t problem_field() const { return problem_field_; }
  TextPosition problem_position() const { return position_at(problem_offset_); }
  // The byte at the problem's position (the invalid UTF-8 byte).
  uint8_t problem_byte() const { return problem_offset_ < size_ ? static_cast<uint8_t>(buffer_[problem_offset_]) : 0; }

  // Where field i of the current record starts (its opening quote, if quoted).
  TextPosition field_position(size_t i) const { return position_at(fields_[i].raw_begin); }
  // Where the current record's line break (or the end of input) starts.
  TextPosition record_end_position() const { return position_at(record_content_end_); }
  uint64_t record_line() const { return record_line_; }

  // Input bytes up to the end of the current record, BOM included.
  uint64_t consumed_bytes() const { return buffer_file_offset_ + pos_; }

  // set_mark() keeps every byte from the next record on in memory, so
  // rewind_to_mark() can replay those records (used to read a type-inference
  // sample once and then stream it again). retained_bytes() is the memory
  // that costs.
  void set_mark();
  void rewind_to_mark();
  size_t retained_bytes() const { return mark_active_ ? size_ - mark_ : 0; }

 private:
  struct Field {
    size_t raw_begin;  // buffer offset of the field's first byte
    size_t begin;      // offset of the value in buffer_ or scratch_
    size_t size;
    bool quoted;
    bool in_scratch;
  };
  enum class FieldEnd { kDelimiter, kRecordEnd, kNeedMore };
  enum class ParseStatus { kRecord, kNeedMore, kEnd };

  ParseStatus parse_record();
  FieldEnd parse_unquoted_field(const char*& p, const char* end);
  FieldEnd parse_quoted_field(const char*& p, const char* end);
  FieldEnd end_quoted_field(const char*& p, const char* end);
  FieldEnd finish_line(const char*& p, const char* end);
  FieldEnd skip_to_field_end(const char*& p, const char* end);
  bool check_non_ascii(const char*& p, const char* end);
  void add_field(const char* raw_begin, const char* begin, const char* end, bool quoted,
                 bool unescape) {
    if (unescape) {
      add_unescaped_field(raw_begin, begin, end);
      return;
    }
    const char* base = buffer_.get();
    fields_.push_back(Field{static_cast<size_t>(raw_begin - base),
                            static_cast<size_t>(begin - base), static_cast<size_t>(end - begin),
                            quoted, false});
  }
  void add_unescaped_field(const char* raw_begin, const char* begin, const char* end);
  void note_problem(CsvProblem problem, const char* at, size_t field_index);
  void fill();
  void skip_byte_order_mark();
  TextPosition position_at(size_t buffer_offset) const;

  ReadFunction read_;
  CsvDialect dialect_;
  size_t block_bytes_;
  // Byte classes: nonzero for bytes that end the fast scan of an unquoted
  // or quoted field (delimiter, quote, escape, CR, LF, NUL, non-ASCII).
  uint8_t unquoted_stop_[256] = {};
  uint8_t quoted_stop_[256] = {};

  std::unique_ptr<char[]> buffer_;  // capacity_ + 1 bytes: buffer_[size_] is a NUL sentinel
  size_t capacity_ = 0;
  BufferReservation reservation_{"CSV read buffer"};  // covers capacity_
  size_t size_ = 0;                 // bytes of buffer_ holding input
  size_t pos_ = 0;                  // end of the current record
  uint64_t buffer_file_offset_ = 0; // input offset of buffer_[0]
  bool eof_ = false;
  bool started_ = false;

  std::vector<Field> fields_;
  std::string scratch_;
  BufferReservation scratch_reservation_{"CSV unescaped field buffer"};  // covers scratch_.capacity()
  size_t record_begin_ = 0;
  size_t record_content_end_ = 0;   // where the line break starts
  uint64_t record_line_ = 1;
  uint64_t next_line_ = 1;
  uint64_t breaks_ = 0;             // line breaks in the record being parsed
  CsvProblem problem_ = CsvProblem::kNone;
  size_t problem_field_ = 0;
  size_t problem_offset_ = 0;

  bool mark_active_ = false;
  size_t mark_ = 0;
  uint64_t mark_line_ = 1;
};

}  // namespace sluice
