// JsonObjectReader: streams the top-level objects of an NDJSON file or of a
// JSON array file through a bounded buffer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/buffer_reservation.h"
#include "sources/json_scanner.h"

namespace sluice {

class JsonObjectReader {
 public:
  // NDJSON (`is_array` false): one object per line; blank lines are ignored
  // and an object may span lines. With `skip_bad_rows`, a line that is not
  // valid JSON is dropped and counted. JSON array (`is_array` true): the file
  // is one array of objects. There a syntax error always stops the read,
  // because without line boundaries the start of the next object is unknown.
  // Throws IOError when the file cannot be opened.
  JsonObjectReader(std::string path, bool is_array, bool skip_bad_rows);
  ~JsonObjectReader();
  JsonObjectReader(const JsonObjectReader&) = delete;
  JsonObjectReader& operator=(const JsonObjectReader&) = delete;

  // Reserves the buffer from `memory` (null: no budget) once it grows past
  // kUnreservedBufferBytes. An object too large for the budget makes next()
  // throw Error(kMemoryLimit).
  void set_memory_governor(MemoryGovernor* memory) { reservation_.set_governor(memory, buffer_.size()); }

  // Reads the next object into `members`, whose views stay valid until the
  // next call. Returns false at the end of the data. Throws InvalidInput
  // naming the line and column of malformed JSON.
  bool next(std::vector<JsonMember>& members);

  // Bytes of the file consumed so far, and the file's size.
  uint64_t bytes_consumed() const { return buffer_offset_ + begin_; }
  uint64_t file_size() const { return file_size_; }
  uint64_t skipped_rows() const { return skipped_rows_; }
  const std::string& path() const { return path_; }

  // 1-based line on which the object last returned by next() starts.
  uint64_t object_line() const;

  // Where reading continues: byte offset, line and column of the next
  // unconsumed byte, the parser state and the skipped-line count, as
  // "offset=..;line=..;column=..;state=..;reader_skipped=..".
  std::string position() const;

  // Continues from a position() of a reader of the same file. Throws
  // InvalidInput for a malformed position and IOError when seeking fails.
  void seek(const std::string& position);

 private:
  enum class State { kArrayStart, kArrayFirst, kArrayElement, kArrayAfterElement, kArrayEnd, kLines, kDone };

  bool refill();
  void resize_buffer(size_t size);
  bool skip_whitespace();
  bool read_object(std::vector<JsonMember>& members);
  bool check_line_end(size_t position, bool& need_more);
  void skip_bad_line(size_t error_position);
  void skip_byte_order_mark();
  [[noreturn]] void fail_at(size_t position, const std::string& message) const;
  uint64_t line_at(size_t position) const;
  uint64_t column_at(size_t position) const;

  std::string path_;
  int fd_ = -1;
  bool skip_bad_rows_;
  State state_;
  uint64_t file_size_ = 0;
  uint64_t skipped_rows_ = 0;

  // buffer_[begin_, end_) is the unconsumed input, and buffer_[0] is at file
  // offset buffer_offset_. Newlines before buffer_[0] are counted in
  // lines_before_buffer_, and buffer_[0] is at byte column
  // column_at_buffer_start_ (1-based) of its line.
  std::vector<char> buffer_;
  BufferReservation reservation_{"JSON object buffer"};  // covers buffer_.size()
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t buffer_offset_ = 0;
  uint64_t lines_before_buffer_ = 0;
  uint64_t column_at_buffer_start_ = 1;
  size_t object_start_ = 0;
};

}  // namespace sluice
