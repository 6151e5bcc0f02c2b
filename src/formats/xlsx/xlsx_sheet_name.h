// Worksheet names: Excel allows at most 31 characters, none of []:*?/\, no
// apostrophe at either end, and reserves "History".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice {

constexpr size_t kExcelMaxSheetNameUnits = 31;

// Returns `name` made valid: each of []:*?/\ becomes '_', apostrophes at the
// ends are removed, the text is cut to 31 UTF-16 code units between whole
// characters, "History" (any case) gets a '_' appended, and an empty result
// becomes "Sheet1".
std::string SanitizeSheetName(std::string_view name);

// Returns the name of sheet `number` (1-based) of an export: "Sheet1",
// "Sheet2", ... when `base` is empty, else the sanitized base for sheet 1
// and "base (2)", "base (3)", ... after it, with the base cut so the whole
// name stays within 31 code units.
std::string SheetNameFor(std::string_view base, uint64_t number);

}  // namespace sluice
