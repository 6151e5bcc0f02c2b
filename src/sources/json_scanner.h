// JSON syntax for the JSON sources: scans one object held in a contiguous
// buffer into its members without copying, and decodes string and nested
// values on demand.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

enum class JsonKind : uint8_t { kNull, kTrue, kFalse, kNumber, kString, kObject, kArray };

// One key and value of a scanned object. The views point into the scanned
// buffer and are valid until it changes.
struct JsonMember {
  std::string_view key;        // between the quotes, escapes not decoded
  std::string_view text;       // string: between the quotes, escapes not decoded;
                               // number and literal: as written; object and array:
                               // the raw text including brackets and whitespace
  JsonKind kind = JsonKind::kNull;
  bool key_escaped = false;    // the key contains a backslash escape
  bool escaped = false;        // string value contains a backslash escape
  bool integral = false;       // number without fraction or exponent
  bool exponent = false;       // number with an exponent
};

enum class ScanStatus {
  kOk,
  kIncomplete,  // the buffer ended inside the object; scan again with more input
  kError,       // not valid JSON; see ScanError
};

struct ScanError {
  const char* position = nullptr;  // the first byte that is not valid here
  const char* message = "";        // a static description, e.g. "expected ':'"
};

// Scans the object that starts at `begin` (which must point at '{') and
// whose bytes end before `limit`. On kOk, `members` contains its members in
// order and *end points one past the closing '}'. Strings must be valid
// UTF-8 without raw control characters, and nested values deeper than 512
// levels are rejected (RFC 8259 syntax otherwise).
ScanStatus ScanObject(const char* begin, const char* limit, std::vector<JsonMember>& members,
                      const char** end, ScanError* error);

// Appends the decoded text of a string's raw contents: escapes become their
// characters and \u escapes become UTF-8. An unpaired surrogate becomes
// U+FFFD. REQUIRES: `raw` was accepted by ScanObject.
void AppendDecodedString(std::string& out, std::string_view raw);

// Appends `raw` without whitespace outside strings, so a nested value keeps
// its exact contents in compact form. REQUIRES: `raw` was accepted by ScanObject.
void AppendCompactJson(std::string& out, std::string_view raw);

inline bool IsJsonWhitespace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace sluice
