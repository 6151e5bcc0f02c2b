#include "sources/json_object_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/counter_state.h"
#include "core/error.h"

namespace sluice {

namespace {

constexpr size_t kInitialBufferBytes = 1 << 20;
// An object must fit in the buffer; this bounds memory for a corrupt file
// that never closes its first object.
constexpr size_t kMaxBufferBytes = size_t{256} << 20;

}  // namespace

JsonObjectReader::JsonObjectReader(std::string path, bool is_array, bool skip_bad_rows)
    : path_(std::move(path)),
      skip_bad_rows_(skip_bad_rows),
      state_(is_array ? State::kArrayStart : State::kLines),
      buffer_(kInitialBufferBytes) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw IOError("cannot open JSON file '" + path_ + "': " + std::strerror(errno) +
                  "; check the path and its permissions");
  }
  struct stat info;
  if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode)) file_size_ = static_cast<uint64_t>(info.st_size);
  skip_byte_order_mark();
}

JsonObjectReader::~JsonObjectReader() {
  if (fd_ >= 0) ::close(fd_);
}

void JsonObjectReader::skip_byte_order_mark() {
  while (end_ < 3 && refill()) {
  }
  if (end_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
}

bool JsonObjectReader::refill() {
  if (eof_) return false;

  if (begin_ > 0) {
    const char* data = buffer_.data();
    lines_before_buffer_ += static_cast<uint64_t>(std::count(data, data + begin_, '\n'));
    const void* last_newline = ::memrchr(data, '\n', begin_);
    if (last_newline != nullptr) {
      column_at_buffer_start_ = begin_ - static_cast<size_t>(static_cast<const char*>(last_newline) - data);
    } else {
      column_at_buffer_start_ += begin_;
    }
    std::memmove(buffer_.data(), data + begin_, end_ - begin_);
    end_ -= begin_;
    buffer_offset_ += begin_;
    begin_ = 0;
  }

  if (end_ == buffer_.size()) {
    if (buffer_.size() >= kMaxBufferBytes) {
      fail_at(0, "a single JSON object is larger than 256 MiB; split the input into smaller objects");
    }
    resize_buffer(buffer_.size() * 2);
  } else if (buffer_.size() > kInitialBufferBytes && end_ <= kInitialBufferBytes / 2) {
    resize_buffer(kInitialBufferBytes);  // give back the memory of a long object
  }

  for (;;) {
    ssize_t count = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (count > 0) {
      end_ += static_cast<size_t>(count);
      return true;
    }
    if (count == 0) {
      eof_ = true;
      return false;
    }
    if (errno != EINTR) {
      throw IOError("cannot read JSON file '" + path_ + "': " + std::strerror(errno));
    }
  }
}

// Moves the buffer's contents to a block of `size` bytes. Both blocks are
// live while the contents are copied, so both are reserved until then.
void JsonObjectReader::resize_buffer(size_t size) {
  if (size > buffer_.size()) reservation_.cover(buffer_.size() + size);
  std::vector<char> resized(size);
  std::memcpy(resized.data(), buffer_.data(), end_);
  buffer_ = std::move(resized);
  reservation_.cover(buffer_.size());
}

bool JsonObjectReader::skip_whitespace() {
  for (;;) {
    while (begin_ < end_ && IsJsonWhitespace(buffer_[begin_])) ++begin_;
    if (begin_ < end_) return true;
    if (!refill()) return false;
  }
}

bool JsonObjectReader::next(std::vector<JsonMember>& members) {
  for (;;) {
    switch (state_) {
      case State::kLines:
        if (!skip_whitespace()) {
          state_ = State::kDone;
          return false;
        }
        if (buffer_[begin_] != '{') {
          if (skip_bad_rows_) {
            skip_bad_line(begin_);
            continue;
          }
          fail_at(begin_, "expected '{': each line of NDJSON must hold one JSON object");
        }
        if (read_object(members)) return true;
        continue;

      case State::kArrayStart:
        if (!skip_whitespace()) fail_at(begin_, "the file is empty; expected a JSON array of objects");
        if (buffer_[begin_] != '[') {
          fail_at(begin_, "expected '[' because a JSON file must hold an array of objects "
                          "(read one object per line as ndjson)");
        }
        ++begin_;
        state_ = State::kArrayFirst;
        continue;

      case State::kArrayFirst:
        if (!skip_whitespace()) fail_at(begin_, "unexpected end of file; expected an object or ']'");
        if (buffer_[begin_] == ']') {
          ++begin_;
          state_ = State::kArrayEnd;
        } else {
          state_ = State::kArrayElement;
        }
        continue;

      case State::kArrayElement:
        if (!skip_whitespace()) fail_at(begin_, "unexpected end of file; expected an object");
        if (buffer_[begin_] != '{') fail_at(begin_, "expected '{': every element of the array must be an object");
        read_object(members);
        state_ = State::kArrayAfterElement;
        return true;

      case State::kArrayAfterElement: {
        if (!skip_whitespace()) fail_at(begin_, "unexpected end of file; expected ',' or ']' after an array element");
        char c = buffer_[begin_];
        if (c != ',' && c != ']') fail_at(begin_, "expected ',' or ']' after an array element");
        ++begin_;
        state_ = c == ',' ? State::kArrayElement : State::kArrayEnd;
        continue;
      }

      case State::kArrayEnd:
        if (skip_whitespace()) fail_at(begin_, "unexpected text after the closing ']' of the array");
        state_ = State::kDone;
        return false;

      case State::kDone:
        return false;
    }
  }
}

// Scans the object at begin_, reading more input while it is incomplete.
// Returns false when a malformed NDJSON line was skipped instead.
bool JsonObjectReader::read_object(std::vector<JsonMember>& members) {
  for (;;) {
    object_start_ = begin_;
    const char* base = buffer_.data();
    const char* stop = nullptr;
    ScanError error;

    // An NDJSON record ends at its newline: a raw newline cannot occur inside
    // valid JSON text, so an object still open there is malformed and the
    // next line is a new record.
    const char* scan_end = base + end_;
    bool line_ended = false;
    if (state_ == State::kLines) {
      const void* newline = std::memchr(base + begin_, '\n', end_ - begin_);
      if (newline != nullptr) {
        scan_end = static_cast<const char*>(newline);
        line_ended = true;
      }
    }
    ScanStatus status = ScanObject(base + begin_, scan_end, members, &stop, &error);
    if (status == ScanStatus::kIncomplete && line_ended) {
      size_t position = static_cast<size_t>(scan_end - base);
      if (skip_bad_rows_) {
        skip_bad_line(position);
        return false;
      }
      fail_at(position, "unexpected end of line inside the object; each NDJSON line must hold one whole object");
    }

    if (status == ScanStatus::kOk) {
      size_t after = static_cast<size_t>(stop - base);
      bool need_more = false;
      if (state_ == State::kLines && !check_line_end(after, need_more)) return false;
      if (need_more) {
        refill();
        continue;
      }
      begin_ = after;
      return true;
    }

    if (status == ScanStatus::kIncomplete) {
      bool more = refill();
      object_start_ = begin_;  // refill() moved the unconsumed bytes to the front
      if (more) continue;
      if (state_ == State::kLines && skip_bad_rows_) {
        skip_bad_line(end_);
        return false;
      }
      fail_at(end_, "unexpected end of file inside the object that starts on line " +
                        std::to_string(line_at(object_start_)));
    }

    size_t position = static_cast<size_t>(error.position - base);
    if (state_ == State::kLines && skip_bad_rows_) {
      skip_bad_line(position);
      return false;
    }
    fail_at(position, error.message);
  }
}

// Checks that only blanks follow an NDJSON object on its line. Sets
// need_more when the buffer ends first. Returns false when the line was
// malformed and skipped.
bool JsonObjectReader::check_line_end(size_t position, bool& need_more) {
  while (position < end_ && (buffer_[position] == ' ' || buffer_[position] == '\t' || buffer_[position] == '\r')) {
    ++position;
  }
  if (position == end_) {
    need_more = !eof_;
    return true;
  }
  if (buffer_[position] == '\n') return true;
  if (skip_bad_rows_) {
    skip_bad_line(position);
    return false;
  }
  fail_at(position, "expected the end of the line after the object, because each NDJSON line is one object");
}

void JsonObjectReader::skip_bad_line(size_t error_position) {
  ++skipped_rows_;
  begin_ = error_position;
  for (;;) {
    const void* newline = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    if (newline != nullptr) {
      begin_ = static_cast<size_t>(static_cast<const char*>(newline) - buffer_.data()) + 1;
      return;
    }
    begin_ = end_;
    if (!refill()) return;
  }
}

uint64_t JsonObjectReader::line_at(size_t position) const {
  const char* data = buffer_.data();
  return lines_before_buffer_ + static_cast<uint64_t>(std::count(data, data + position, '\n')) + 1;
}

uint64_t JsonObjectReader::column_at(size_t position) const {
  const void* last_newline = ::memrchr(buffer_.data(), '\n', position);
  if (last_newline == nullptr) return column_at_buffer_start_ + position;
  return position - static_cast<size_t>(static_cast<const char*>(last_newline) - buffer_.data());
}

uint64_t JsonObjectReader::object_line() const { return line_at(object_start_); }

std::string JsonObjectReader::position() const {
  return "offset=" + std::to_string(bytes_consumed()) + ";line=" + std::to_string(line_at(begin_)) +
         ";column=" + std::to_string(column_at(begin_)) +
         ";state=" + std::to_string(static_cast<int>(state_)) +
         ";reader_skipped=" + std::to_string(skipped_rows_);
}

void JsonObjectReader::seek(const std::string& position) {
  const std::string what = "JSON source position";
  uint64_t offset = ParseStateCounter(position, "offset", what);
  uint64_t line = ParseStateCounter(position, "line", what);
  uint64_t column = ParseStateCounter(position, "column", what);
  uint64_t state = ParseStateCounter(position, "state", what);
  if (line == 0 || column == 0 || state > static_cast<uint64_t>(State::kDone) ||
      (state_ == State::kLines) != (state == static_cast<uint64_t>(State::kLines))) {
    throw InvalidInput("invalid JSON source position '" + position + "' for '" + path_ +
                       "'; start the export again");
  }
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    throw IOError("cannot seek in JSON file '" + path_ + "': " + std::strerror(errno));
  }
  state_ = static_cast<State>(state);
  skipped_rows_ = ParseStateCounter(position, "reader_skipped", what);
  begin_ = 0;
  end_ = 0;
  eof_ = false;
  buffer_offset_ = offset;
  lines_before_buffer_ = line - 1;
  column_at_buffer_start_ = column;
  object_start_ = 0;
}

void JsonObjectReader::fail_at(size_t position, const std::string& message) const {
  std::string text = "invalid JSON at line " + std::to_string(line_at(position)) + ", column " +
                     std::to_string(column_at(position)) + " of '" + path_ + "': " + message;
  if (state_ == State::kLines) text += "; fix the line or drop malformed lines with --skip-bad-rows";
  throw InvalidInput(text);
}

}  // namespace sluice
