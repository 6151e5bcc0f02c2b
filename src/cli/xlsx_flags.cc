// Flags of `sluice export` for XLSX output.
#include "cli/option_groups.h"
#include "core/error.h"

namespace sluice::cli {

void AddXlsxFlags(CLI::App& command, ExportOptions& options) {
  const std::string group = "XLSX output";
  command.add_option("--sheet-name", options.xlsx_write.sheet_name,
                     "Name of the first sheet; later sheets get \" (2)\", \" (3)\"... (default Sheet1, Sheet2, ...)")
      ->group(group);
  command.add_option_function<std::string>(
             "--xlsx-overflow",
             [&options](const std::string& text) {
               if (text == "new-sheet") options.xlsx_write.overflow = XlsxOverflow::kNewSheet;
               else if (text == "error") options.xlsx_write.overflow = XlsxOverflow::kError;
               else throw InvalidOption("invalid value '" + text + "' for --xlsx-overflow: use new-sheet or error");
             },
             "Past 1,048,576 rows per sheet: new-sheet continues on a new sheet, error stops (default new-sheet)")
      ->group(group);
  command.add_flag_function(
             "--no-xlsx-formula-guard",
             [&options](int64_t count) { options.xlsx_write.formula_guard = count == 0; },
             "Write text starting with = + - @ tab or CR unchanged instead of prefixing '")
      ->group(group);
  command.add_flag("--xlsx-large-ints-as-numbers", options.xlsx_write.large_int64_as_numbers,
                   "Write int64 values beyond +-2^53 as rounded numbers instead of exact text")
      ->group(group);
}

}  // namespace sluice::cli
