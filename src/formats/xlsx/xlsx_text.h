// Text cell values for XLSX: escaping of characters XML cannot hold, and
// truncation at Excel's cell length limit.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

// Excel's maximum text length in a cell, in UTF-16 code units.
constexpr uint64_t kExcelMaxTextUnits = 32767;

// libxlsxwriter 1.1.4 rejects a string with more than 32767 code points
// (LXW_STR_MAX), counted after the escaping below.
constexpr uint64_t kLibxlsxwriterMaxCodePoints = 32767;

struct XlsxTextResult {
  bool truncated = false;         // characters were cut at the length limit
  bool replaced_invalid = false;  // invalid UTF-8 bytes became U+FFFD
};

// Replaces `out` with `text` ready for worksheet_write_string():
//   - Each byte that is not part of valid UTF-8 becomes U+FFFD.
//   - Characters XML 1.0 cannot hold (U+0000 to U+001F except tab and line
//     feed, U+FFFE, U+FFFF) and carriage return, which XML parsers turn
//     into a line feed, become _xHHHH_, the OOXML escape that Excel,
//     LibreOffice and openpyxl decode back to the character.
//   - Text that already looks like an escape (_x followed by four hex digits
//     and _) gets its underscore escaped as _x005F_, so it reads back as
//     written rather than as the character it names.
// libxlsxwriter itself escapes only U+0001 to U+001F, so after this step it
// finds nothing left to escape and the text is not escaped twice.
// Cuts the text, between whole characters, so that it has at most
// `max_units` UTF-16 code units and the escaped form at most
// kLibxlsxwriterMaxCodePoints code points.
XlsxTextResult PrepareXlsxText(std::string_view text, uint64_t max_units, std::string& out);

}  // namespace sluice
