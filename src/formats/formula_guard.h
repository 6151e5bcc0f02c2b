// Formula guard: keeps spreadsheet programs from running text cells as
// formulas (CSV injection). Excel, LibreOffice and Google Sheets treat a cell
// that starts with '=', '+', '-' or '@' as a formula, and some strip a leading
// tab or carriage return first, so text starting with any of these six
// characters gets a leading apostrophe, which spreadsheets show as text.
//
// The guard changes the data, so it is off by default for CSV and is meant for
// files that people open in a spreadsheet. Writers apply it to string cells
// only: numbers, dates and booleans are written unchanged, and base64 binary
// text cannot form a function call because it has no parentheses or quotes.
#pragma once

#include <string_view>

namespace sluice {

constexpr char kFormulaGuardPrefix = '\'';

// Returns true when `text` starts with a character that makes a spreadsheet
// read it as a formula.
bool NeedsFormulaGuard(std::string_view text);

}  // namespace sluice
