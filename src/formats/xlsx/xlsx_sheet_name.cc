#include "formats/xlsx/xlsx_sheet_name.h"

#include <algorithm>
#include <cctype>

namespace sluice {

namespace {

size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Cuts UTF-8 `text` to at most `max_units` UTF-16 code units without
// splitting a character.
std::string CutToUnits(std::string_view text, size_t max_units) {
  size_t units = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t length = std::min(Utf8Length(static_cast<unsigned char>(text[i])), text.size() - i);
    size_t character_units = length == 4 ? 2 : 1;
    if (units + character_units > max_units) break;
    units += character_units;
    i += length;
  }
  return std::string(text.substr(0, i));
}

bool IsHistory(const std::string& name) {
  if (name.size() != 7) return false;
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "history";
}

}  // namespace

std::string SanitizeSheetName(std::string_view name) {
  std::string result(name);
  for (char& c : result) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = '_';
  }
  while (!result.empty() && result.front() == '\'') result.erase(0, 1);
  result = CutToUnits(result, kExcelMaxSheetNameUnits);
  while (!result.empty() && result.back() == '\'') result.pop_back();
  if (IsHistory(result)) result += '_';
  if (result.empty()) result = "Sheet1";
  return result;
}

std::string SheetNameFor(std::string_view base, uint64_t number) {
  if (base.empty()) return "Sheet" + std::to_string(number);
  std::string name = SanitizeSheetName(base);
  if (number == 1) return name;
  std::string suffix = " (" + std::to_string(number) + ")";
  std::string cut = CutToUnits(name, kExcelMaxSheetNameUnits - suffix.size());
  while (!cut.empty() && cut.back() == '\'') cut.pop_back();
  return cut + suffix;
}

}  // namespace sluice
