#include "sources/csv_tokenizer.h"

#include <algorithm>
#include <cstring>

#include "sources/utf8_validation.h"

namespace sluice {

CsvTokenizer::CsvTokenizer(ReadFunction read, CsvDialect dialect, size_t block_bytes)
    : read_(std::move(read)), dialect_(dialect), block_bytes_(std::max<size_t>(block_bytes, 16)) {
  for (int c = 0x80; c < 256; ++c) {
    unquoted_stop_[c] = 1;
    quoted_stop_[c] = 1;
  }
  for (unsigned char c : {'\0', '\n', '\r'}) {
    unquoted_stop_[c] = 1;
    quoted_stop_[c] = 1;
  }
  unquoted_stop_[static_cast<uint8_t>(dialect_.delimiter)] = 1;
  quoted_stop_[static_cast<uint8_t>(dialect_.quote)] = 1;
  quoted_stop_[static_cast<uint8_t>(dialect_.escape)] = 1;

  capacity_ = 2 * block_bytes_;
  buffer_.reset(new char[capacity_ + 1]);
  buffer_[0] = '\0';
}

bool CsvTokenizer::next_record() {
  if (!started_) skip_byte_order_mark();
  while (true) {
    ParseStatus status = parse_record();
    if (status == ParseStatus::kRecord) {
      record_line_ = next_line_;
      next_line_ += breaks_;
      return true;
    }
    if (status == ParseStatus::kEnd) {
      fields_.clear();
      return false;
    }
    fill();
  }
}

// Parses the record at pos_. On kNeedMore nothing is kept: the caller reads
// more input and parses the record again from its start, so a record that
// spans two blocks costs one extra scan of its first part.
CsvTokenizer::ParseStatus CsvTokenizer::parse_record() {
  const char* base = buffer_.get();
  const char* p = base + pos_;
  const char* end = base + size_;
  fields_.clear();
  scratch_.clear();
  if (scratch_.capacity() > kUnreservedBufferBytes) {
    scratch_.shrink_to_fit();  // give back the memory of a long escaped field
    scratch_reservation_.cover(scratch_.capacity());
  }
  problem_ = CsvProblem::kNone;
  breaks_ = 0;
  if (p == end) return eof_ ? ParseStatus::kEnd : ParseStatus::kNeedMore;
  record_begin_ = pos_;

  while (true) {
    FieldEnd field_end = (p < end && *p == dialect_.quote) ? parse_quoted_field(p, end)
                                                           : parse_unquoted_field(p, end);
    if (field_end == FieldEnd::kNeedMore) return ParseStatus::kNeedMore;
    if (field_end == FieldEnd::kRecordEnd) break;
  }
  pos_ = static_cast<size_t>(p - base);
  return ParseStatus::kRecord;
}

CsvTokenizer::FieldEnd CsvTokenizer::parse_unquoted_field(const char*& p, const char* end) {
  const char* start = p;
  while (true) {
    while (!unquoted_stop_[static_cast<uint8_t>(*p)]) ++p;  // *end is a NUL sentinel
    if (p == end) {
      if (!eof_) return FieldEnd::kNeedMore;
      add_field(start, start, p, false, false);
      record_content_end_ = size_;
      return FieldEnd::kRecordEnd;
    }
    char c = *p;
    if (c == dialect_.delimiter) {
      add_field(start, start, p, false, false);
      ++p;
      return FieldEnd::kDelimiter;
    }
    if (c == '\n' || c == '\r') {
      add_field(start, start, p, false, false);
      return finish_line(p, end);
    }
    if (check_non_ascii(p, end)) return FieldEnd::kNeedMore;
  }
}

CsvTokenizer::FieldEnd CsvTokenizer::parse_quoted_field(const char*& p, const char* end) {
  const char quote = dialect_.quote;
  const char escape = dialect_.escape;
  const bool doubled_quotes = quote == escape;
  const char* raw_begin = p;
  ++p;
  const char* value_begin = p;
  bool unescape = false;

  while (true) {
    while (!quoted_stop_[static_cast<uint8_t>(*p)]) ++p;
    if (p == end) {
      if (!eof_) return FieldEnd::kNeedMore;
      note_problem(CsvProblem::kUnterminatedQuote, raw_begin, fields_.size());
      add_field(raw_begin, value_begin, end, true, unescape);
      record_content_end_ = size_;
      return FieldEnd::kRecordEnd;
    }
    char c = *p;
    if (c == quote) {
      if (doubled_quotes) {
        if (p + 1 == end && !eof_) return FieldEnd::kNeedMore;
        if (p + 1 < end && p[1] == quote) {
          unescape = true;
          p += 2;
          continue;
        }
      }
      break;  // the closing quote
    }
    if (c == escape) {
      // A separate escape character takes the next quote or escape literally
      // and is dropped before any other byte, which is then read as usual.
      if (p + 1 == end) {
        if (!eof_) return FieldEnd::kNeedMore;
        p = end;
        continue;
      }
      unescape = true;
      p += (p[1] == quote || p[1] == escape) ? 2 : 1;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (c == '\r' && p + 1 == end && !eof_) return FieldEnd::kNeedMore;
      ++p;
      if (c == '\r' && p < end && *p == '\n') ++p;
      ++breaks_;
      continue;
    }
    if (check_non_ascii(p, end)) return FieldEnd::kNeedMore;
  }

  add_field(raw_begin, value_begin, p, true, unescape);
  ++p;
  return end_quoted_field(p, end);
}

// Reads what follows a closing quote: a delimiter, a line break or the end
// of input. Anything else makes the record malformed.
CsvTokenizer::FieldEnd CsvTokenizer::end_quoted_field(const char*& p, const char* end) {
  if (p == end) {
    if (!eof_) return FieldEnd::kNeedMore;
    record_content_end_ = size_;
    return FieldEnd::kRecordEnd;
  }
  if (*p == dialect_.delimiter) {
    ++p;
    return FieldEnd::kDelimiter;
  }
  if (*p == '\n' || *p == '\r') return finish_line(p, end);
  note_problem(CsvProblem::kTextAfterQuote, p, fields_.size() - 1);
  return skip_to_field_end(p, end);
}

// REQUIRES: *p is CR or LF.
CsvTokenizer::FieldEnd CsvTokenizer::finish_line(const char*& p, const char* end) {
  record_content_end_ = static_cast<size_t>(p - buffer_.get());
  if (*p == '\r') {
    if (p + 1 == end && !eof_) return FieldEnd::kNeedMore;  // a CRLF may be split
    ++p;
    if (p < end && *p == '\n') ++p;
  } else {
    ++p;
  }
  ++breaks_;
  return FieldEnd::kRecordEnd;
}

CsvTokenizer::FieldEnd CsvTokenizer::skip_to_field_end(const char*& p, const char* end) {
  while (p < end && *p != dialect_.delimiter && *p != '\n' && *p != '\r') ++p;
  if (p == end) {
    if (!eof_) return FieldEnd::kNeedMore;
    record_content_end_ = size_;
    return FieldEnd::kRecordEnd;
  }
  if (*p == dialect_.delimiter) {
    ++p;
    return FieldEnd::kDelimiter;
  }
  return finish_line(p, end);
}

// Steps over a NUL byte or one UTF-8 sequence at p, noting a problem when it
// is invalid. Returns true when the sequence is cut off by the end of the
// buffer and more input may complete it.
bool CsvTokenizer::check_non_ascii(const char*& p, const char* end) {
  if (*p == '\0') {
    note_problem(CsvProblem::kNulByte, p, fields_.size());
    ++p;
    return false;
  }
  int length = Utf8SequenceLength(p, end);
  if (length < 0) {
    if (!eof_) return true;
    length = 0;
  }
  if (length == 0) {
    note_problem(CsvProblem::kInvalidUtf8, p, fields_.size());
    ++p;
    return false;
  }
  p += length;
  return false;
}

void CsvTokenizer::add_unescaped_field(const char* raw_begin, const char* begin,
                                       const char* end) {
  const char* base = buffer_.get();
  Field field{static_cast<size_t>(raw_begin - base), 0, 0, true, true};
  size_t needed = scratch_.size() + static_cast<size_t>(end - begin);  // unescaping only shortens
  if (needed > scratch_.capacity()) {
    scratch_reservation_.cover(scratch_.capacity() + needed);
    scratch_.reserve(needed);
    scratch_reservation_.cover(scratch_.capacity());
  }
  {
    const char quote = dialect_.quote;
    const char escape = dialect_.escape;
    size_t start = scratch_.size();
    for (const char* c = begin; c < end; ++c) {
      if (quote == escape && *c == quote) {
        ++c;  // the first of two quotes; parse_quoted_field saw the second
      } else if (quote != escape && *c == escape) {
        if (c + 1 >= end || (c[1] != quote && c[1] != escape)) continue;
        ++c;
      }
      if (c < end) scratch_.push_back(*c);
    }
    field.begin = start;
    field.size = scratch_.size() - start;
  }
  fields_.push_back(field);
}

void CsvTokenizer::note_problem(CsvProblem problem, const char* at, size_t field_index) {
  if (problem_ != CsvProblem::kNone) return;
  problem_ = problem;
  problem_field_ = field_index;
  problem_offset_ = static_cast<size_t>(at - buffer_.get());
}

// Moves the unread input (and, while a mark is set, everything after the
// mark) to the front of the buffer, grows the buffer when that input fills
// it, and reads until the buffer is full or the input ends. Reading to the
// full capacity makes the number of re-parses of one long record
// logarithmic in its length.
void CsvTokenizer::fill() {
  size_t keep_from = mark_active_ ? std::min(mark_, pos_) : pos_;
  if (keep_from > 0) {
    std::memmove(buffer_.get(), buffer_.get() + keep_from, size_ - keep_from);
    size_ -= keep_from;
    pos_ -= keep_from;
    if (mark_active_) mark_ -= keep_from;
    buffer_file_offset_ += keep_from;
  }

  size_t wanted = capacity_;
  if (size_ == capacity_) {
    wanted = capacity_ * 2;
  } else if (!mark_active_ && capacity_ > 2 * block_bytes_ && size_ < block_bytes_) {
    wanted = 2 * block_bytes_;  // give back the memory of a long record or a replayed sample
  }
  if (wanted != capacity_) {
    // Both blocks are live while the input is copied.
    if (wanted > capacity_) reservation_.cover(capacity_ + wanted);
    std::unique_ptr<char[]> resized(new char[wanted + 1]);
    std::memcpy(resized.get(), buffer_.get(), size_);
    buffer_ = std::move(resized);
    capacity_ = wanted;
    reservation_.cover(capacity_);
  }

  while (size_ < capacity_) {
    size_t count = read_(buffer_.get() + size_, capacity_ - size_);
    if (count == 0) {
      eof_ = true;
      break;
    }
    size_ += count;
  }
  buffer_[size_] = '\0';
}

void CsvTokenizer::skip_byte_order_mark() {
  started_ = true;
  while (size_ < 3 && !eof_) fill();
  if (size_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
}

void CsvTokenizer::set_mark() {
  if (!started_) skip_byte_order_mark();
  mark_active_ = true;
  mark_ = pos_;
  mark_line_ = next_line_;
}

void CsvTokenizer::rewind_to_mark() {
  pos_ = mark_;
  next_line_ = mark_line_;
  mark_active_ = false;
  fields_.clear();
  problem_ = CsvProblem::kNone;
}

TextPosition CsvTokenizer::position_at(size_t buffer_offset) const {
  TextPosition position{record_line_, 1};
  size_t line_start = record_begin_;
  const char* base = buffer_.get();
  for (size_t i = record_begin_; i < buffer_offset && i < size_; ++i) {
    if (base[i] != '\n' && base[i] != '\r') continue;
    if (base[i] == '\r' && i + 1 < buffer_offset && base[i + 1] == '\n') ++i;
    ++position.line;
    line_start = i + 1;
  }
  position.column = buffer_offset - line_start + 1;
  return position;
}

}  // namespace sluice
