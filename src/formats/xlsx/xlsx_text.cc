#include "formats/xlsx/xlsx_text.h"

namespace sluice {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 character at text[i] and advances i; returns U+FFFD and
// advances one byte when the bytes there are not valid UTF-8 (overlong
// forms, surrogates and values past U+10FFFF included).
char32_t DecodeUtf8(std::string_view text, size_t& i, bool& invalid) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  size_t length = 0;
  char32_t min = 0;
  char32_t code = 0;
  if (lead >= 0xC2 && lead <= 0xDF) { length = 2; min = 0x80; code = lead & 0x1F; }
  else if (lead >= 0xE0 && lead <= 0xEF) { length = 3; min = 0x800; code = lead & 0x0F; }
  else if (lead >= 0xF0 && lead <= 0xF4) { length = 4; min = 0x10000; code = lead & 0x07; }

  bool ok = length > 0 && i + length <= text.size();
  for (size_t k = 1; ok && k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) ok = false;
    else code = (code << 6) | (byte(i + k) & 0x3F);
  }
  if (ok && (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))) ok = false;
  if (!ok) {
    invalid = true;
    ++i;
    return kReplacement;
  }
  i += length;
  return code;
}

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool NeedsEscape(char32_t code) {
  return (code < 0x20 && code != '\t' && code != '\n') || code == 0xFFFE || code == 0xFFFF;
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when text[i] starts "_xHHHH_".
bool StartsEscapeLiteral(std::string_view text, size_t i) {
  if (i + 7 > text.size() || text[i] != '_' || (text[i + 1] != 'x' && text[i + 1] != 'X') || text[i + 6] != '_') {
    return false;
  }
  for (size_t k = i + 2; k < i + 6; ++k) {
    if (!IsHexDigit(text[k])) return false;
  }
  return true;
}

void AppendEscape(std::string& out, char32_t code) {
  static const char kHex[] = "0123456789ABCDEF";
  out += "_x";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code >> shift) & 0xF];
  out += '_';
}

}  // namespace

XlsxTextResult PrepareXlsxText(std::string_view text, uint64_t max_units, std::string& out) {
  XlsxTextResult result;
  out.clear();

  // Fast path: printable ASCII without '_' needs neither escaping nor UTF-8
  // checks, and its length in bytes is its length in code units.
  bool plain = text.size() <= max_units && text.size() <= kLibxlsxwriterMaxCodePoints;
  for (size_t k = 0; plain && k < text.size(); ++k) {
    auto c = static_cast<unsigned char>(text[k]);
    plain = c >= 0x20 && c < 0x80 && c != '_';
  }
  if (plain) {
    out.assign(text);
    return result;
  }
  uint64_t units = 0;         // UTF-16 code units of the value as a reader sees it
  uint64_t code_points = 0;   // code points of the escaped form

  size_t i = 0;
  while (i < text.size()) {
    bool literal = StartsEscapeLiteral(text, i);
    size_t start = i;
    char32_t code = DecodeUtf8(text, i, result.replaced_invalid);

    uint64_t value_units = code >= 0x10000 ? 2 : 1;
    uint64_t escaped_points = (literal || NeedsEscape(code)) ? 7 : 1;
    if (units + value_units > max_units || code_points + escaped_points > kLibxlsxwriterMaxCodePoints) {
      result.truncated = true;
      break;
    }
    units += value_units;
    code_points += escaped_points;

    if (literal) {
      out += "_x005F_";
    } else if (NeedsEscape(code)) {
      AppendEscape(out, code);
    } else if (code == kReplacement && i == start + 1 && static_cast<unsigned char>(text[start]) >= 0x80) {
      AppendUtf8(out, code);
    } else {
      out.append(text.data() + start, i - start);
    }
  }
  return result;
}

}  // namespace sluice
