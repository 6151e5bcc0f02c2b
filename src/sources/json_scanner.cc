#include "sources/json_scanner.h"

#include "sources/utf8_validation.h"

namespace sluice {

namespace {

constexpr int kMaxDepth = 512;

// Thrown inside the scanner only; ScanObject turns it into a status, so the
// common path carries no error checks after every step.
struct ScanStop {
  ScanStatus status;
  const char* position;
  const char* message;
};

class Scanner {
 public:
  Scanner(const char* begin, const char* limit) : p_(begin), limit_(limit) {}

  const char* position() const { return p_; }

  void scan_object(std::vector<JsonMember>& members) {
    ++p_;  // '{'
    skip_whitespace();
    if (peek() == '}') {
      ++p_;
      return;
    }
    for (;;) {
      JsonMember member;
      if (peek() != '"') fail("expected '\"' to start an object key");
      member.key = scan_string(member.key_escaped);
      skip_whitespace();
      if (peek() != ':') fail("expected ':' after the object key");
      ++p_;
      skip_whitespace();
      scan_value(member, 1);
      members.push_back(member);
      skip_whitespace();
      char c = peek();
      ++p_;
      if (c == '}') return;
      if (c != ',') fail("expected ',' or '}' after the object member", p_ - 1);
      skip_whitespace();
    }
  }

 private:
  [[noreturn]] void incomplete() { throw ScanStop{ScanStatus::kIncomplete, p_, ""}; }
  [[noreturn]] void fail(const char* message) { fail(message, p_); }
  [[noreturn]] void fail(const char* message, const char* at) {
    throw ScanStop{ScanStatus::kError, at, message};
  }

  char peek() {
    if (p_ >= limit_) incomplete();
    return *p_;
  }

  void skip_whitespace() {
    while (p_ < limit_ && IsJsonWhitespace(*p_)) ++p_;
  }

  // REQUIRES: *p_ == '"'. Returns the contents between the quotes.
  std::string_view scan_string(bool& escaped) {
    const char* start = ++p_;
    for (;;) {
      if (p_ >= limit_) incomplete();
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        scan_escape();
      } else if (c < 0x20) {
        fail("control character inside a string; escape it (\\n, \\t, \\u00XX)");
      } else if (c >= 0x80) {
        int length = Utf8SequenceLength(p_, limit_);
        if (length < 0) incomplete();
        if (length == 0) fail("invalid UTF-8 in a string; convert the file to UTF-8");
        p_ += length;
      } else {
        ++p_;
      }
    }
    std::string_view contents(start, static_cast<size_t>(p_ - start));
    ++p_;
    return contents;
  }

  void scan_escape() {
    ++p_;  // '\'
    char c = peek();
    if (c == 'u') {
      ++p_;
      for (int i = 0; i < 4; ++i) {
        char h = peek();
        bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
        if (!hex) fail("expected four hexadecimal digits after \\u");
        ++p_;
      }
      return;
    }
    if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' && c != 'r' && c != 't') {
      fail("invalid escape sequence in a string");
    }
    ++p_;
  }

  void scan_digits() {
    if (peek() < '0' || *p_ > '9') fail("expected a digit");
    while (peek() >= '0' && *p_ <= '9') ++p_;
  }

  // Grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  // A number can only end at a delimiter, and every number here sits inside
  // an object, so reaching the limit means the input is incomplete.
  void scan_number(JsonMember& member) {
    const char* start = p_;
    if (peek() == '-') ++p_;
    if (peek() == '0') {
      ++p_;
    } else {
      scan_digits();
    }
    member.integral = true;
    if (peek() == '.') {
      ++p_;
      member.integral = false;
      scan_digits();
    }
    if (peek() == 'e' || *p_ == 'E') {
      ++p_;
      member.integral = false;
      member.exponent = true;
      if (peek() == '+' || *p_ == '-') ++p_;
      scan_digits();
    }
    member.text = std::string_view(start, static_cast<size_t>(p_ - start));
  }

  void scan_literal(std::string_view word) {
    for (char expected : word) {
      if (peek() != expected) fail("invalid literal; expected true, false or null");
      ++p_;
    }
  }

  void scan_value(JsonMember& member, int depth) {
    const char* start = p_;
    char c = peek();
    switch (c) {
      case '"':
        member.kind = JsonKind::kString;
        member.text = scan_string(member.escaped);
        return;
      case '{':
      case '[':
        member.kind = c == '{' ? JsonKind::kObject : JsonKind::kArray;
        skip_container(depth + 1);
        member.text = std::string_view(start, static_cast<size_t>(p_ - start));
        return;
      case 't':
        member.kind = JsonKind::kTrue;
        scan_literal("true");
        break;
      case 'f':
        member.kind = JsonKind::kFalse;
        scan_literal("false");
        break;
      case 'n':
        member.kind = JsonKind::kNull;
        scan_literal("null");
        break;
      default:
        if (c != '-' && (c < '0' || c > '9')) fail("expected a JSON value");
        member.kind = JsonKind::kNumber;
        scan_number(member);
        return;
    }
    member.text = std::string_view(start, static_cast<size_t>(p_ - start));
  }

  // Validates a nested object or array. REQUIRES: *p_ is '{' or '['.
  void skip_container(int depth) {
    if (depth > kMaxDepth) fail("values nested deeper than 512 levels");
    char close = *p_ == '{' ? '}' : ']';
    bool is_object = close == '}';
    ++p_;
    skip_whitespace();
    if (peek() == close) {
      ++p_;
      return;
    }
    for (;;) {
      JsonMember ignored;
      if (is_object) {
        if (peek() != '"') fail("expected '\"' to start an object key");
        scan_string(ignored.key_escaped);
        skip_whitespace();
        if (peek() != ':') fail("expected ':' after the object key");
        ++p_;
        skip_whitespace();
      }
      scan_value(ignored, depth);
      skip_whitespace();
      char c = peek();
      if (c == close) {
        ++p_;
        return;
      }
      if (c != ',') fail(is_object ? "expected ',' or '}'" : "expected ',' or ']'");
      ++p_;
      skip_whitespace();
    }
  }

  const char* p_;
  const char* limit_;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

uint32_t ReadHex4(std::string_view raw, size_t pos) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = value * 16 + static_cast<uint32_t>(HexValue(raw[pos + i]));
  return value;
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

constexpr uint32_t kReplacementCharacter = 0xFFFD;

}  // namespace

ScanStatus ScanObject(const char* begin, const char* limit, std::vector<JsonMember>& members,
                      const char** end, ScanError* error) {
  members.clear();
  Scanner scanner(begin, limit);
  try {
    scanner.scan_object(members);
  } catch (const ScanStop& stop) {
    if (stop.status == ScanStatus::kError) *error = ScanError{stop.position, stop.message};
    return stop.status;
  }
  *end = scanner.position();
  return ScanStatus::kOk;
}

void AppendDecodedString(std::string& out, std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    size_t backslash = raw.find('\\', i);
    if (backslash == std::string_view::npos) {
      out.append(raw.substr(i));
      return;
    }
    out.append(raw.substr(i, backslash - i));
    char c = raw[backslash + 1];
    i = backslash + 2;
    switch (c) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t unit = ReadHex4(raw, i);
        i += 4;
        bool high = unit >= 0xD800 && unit <= 0xDBFF;
        bool low = unit >= 0xDC00 && unit <= 0xDFFF;
        if (high && i + 6 <= raw.size() && raw[i] == '\\' && raw[i + 1] == 'u') {
          uint32_t next = ReadHex4(raw, i + 2);
          if (next >= 0xDC00 && next <= 0xDFFF) {
            AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (next - 0xDC00));
            i += 6;
            break;
          }
        }
        AppendUtf8(out, (high || low) ? kReplacementCharacter : unit);
        break;
      }
      default: out.push_back(c); break;  // '"', '\\' and '/'
    }
  }
}

void AppendCompactJson(std::string& out, std::string_view raw) {
  bool in_string = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\') {
        out.push_back(raw[++i]);
      } else if (c == '"') {
        in_string = false;
      }
    } else if (!IsJsonWhitespace(c)) {
      out.push_back(c);
      in_string = c == '"';
    }
  }
}

}  // namespace sluice
