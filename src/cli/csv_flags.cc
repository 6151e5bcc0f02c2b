// Flags of `sluice export` for CSV input and output, and of `sluice inspect`
// for CSV input.
#include "cli/flag_values.h"
#include "cli/option_groups.h"
#include "core/error.h"

namespace sluice::cli {

void AddCsvInputFlags(CLI::App& command, ExportOptions& options) {
  const std::string input = "CSV input";
  command.add_option_function<std::string>(
             "--input-delimiter",
             [&options](const std::string& text) {
               options.csv_read.delimiter = ParseCharFlag("--input-delimiter", text);
             },
             "Field delimiter of CSV input (one character, or tab; default ,)")
      ->group(input);
  command.add_option_function<std::string>(
             "--input-quote",
             [&options](const std::string& text) {
               options.csv_read.quote = ParseCharFlag("--input-quote", text);
               options.csv_read.escape = options.csv_read.quote;
             },
             "Quote character of CSV input (default \")")
      ->group(input);
  command.add_option_function<std::string>(
             "--input-escape",
             [&options](const std::string& text) {
               options.csv_read.escape = ParseCharFlag("--input-escape", text);
             },
             "Escape character inside quoted CSV fields (default: the quote, doubled)")
      ->group(input);
  command.add_flag_function(
             "--no-input-header",
             [&options](int64_t count) { options.csv_read.header = count == 0; },
             "CSV input has no header row; columns are named column1, column2, ...")
      ->group(input);
  command.add_option("--input-null", options.csv_read.null_string,
                     "Unquoted CSV input text that means null (default: an empty field)")
      ->group(input);
  command.add_option("--sample-rows", options.csv_read.sample_rows,
                     "Rows read to infer column types (default 10000)")
      ->group(input);
  command.add_flag_function(
             "--no-infer-decimals",
             [&options](int64_t count) { options.csv_read.infer_decimals = count == 0; },
             "Infer float64 instead of decimal(p,s) for numbers with a decimal point")
      ->group(input);
}

void AddCsvFlags(CLI::App& command, ExportOptions& options) {
  AddCsvInputFlags(command, options);

  const std::string output = "CSV output";
  command.add_option_function<std::string>(
             "--delimiter",
             [&options](const std::string& text) {
               options.csv_write.delimiter = ParseCharFlag("--delimiter", text);
             },
             "Field delimiter of CSV output (one character, or tab; default ,)")
      ->group(output);
  command.add_option_function<std::string>(
             "--quote",
             [&options](const std::string& text) {
               options.csv_write.quote = ParseCharFlag("--quote", text);
             },
             "Quote character of CSV output (default \")")
      ->group(output);
  command.add_option_function<std::string>(
             "--quoting",
             [&options](const std::string& text) {
               if (text == "minimal") {
                 options.csv_write.quoting = CsvQuoting::kMinimal;
               } else if (text == "always") {
                 options.csv_write.quoting = CsvQuoting::kAlways;
               } else {
                 throw InvalidOption("invalid value '" + text + "' for --quoting: use minimal or always");
               }
             },
             "minimal: quote only fields that need it; always: quote every non-null field")
      ->group(output);
  command.add_flag_function(
             "--no-header",
             [&options](int64_t count) { options.csv_write.header = count == 0; },
             "Write no header row")
      ->group(output);
  command.add_option("--null-string", options.csv_write.null_string,
                     "Text written unquoted for null (default: empty); equal strings are quoted")
      ->group(output);
  command.add_option_function<std::string>(
             "--line-ending",
             [&options](const std::string& text) {
               if (text == "lf") {
                 options.csv_write.line_ending = "\n";
               } else if (text == "crlf") {
                 options.csv_write.line_ending = "\r\n";
               } else {
                 throw InvalidOption("invalid value '" + text + "' for --line-ending: use lf or crlf");
               }
             },
             "Line ending of CSV output: lf (default) or crlf")
      ->group(output);
  command.add_flag("--bom", options.csv_write.byte_order_mark,
                   "Start the CSV file with a UTF-8 byte-order mark")
      ->group(output);
  command.add_option("--date-format", options.csv_write.date_format,
                     "strftime-style date format, e.g. %d/%m/%Y (default ISO 8601: %Y-%m-%d)")
      ->group(output);
  command.add_option("--timestamp-format", options.csv_write.timestamp_format,
                     "strftime-style timestamp format; %f is microseconds (default ISO 8601)")
      ->group(output);
  command.add_flag("--formula-guard", options.csv_write.formula_guard,
                   "Prefix ' to text starting with = + - @ tab or CR, so spreadsheets "
                   "do not run it as a formula")
      ->group(output);
}

}  // namespace sluice::cli
