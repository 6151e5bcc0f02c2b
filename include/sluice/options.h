// Options of one export. Defaults are the documented ones in
// docs/configuration.md; sizes are bytes.
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

struct CsvReadOptions {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';             // equal to quote: a quote inside quotes is doubled
  bool header = true;            // the first row names the columns
  std::string schema;            // "name:type,..." overrides inference when set
  uint64_t sample_rows = 10000;  // rows read to infer column types
  bool infer_decimals = true;    // "1.10" becomes decimal(3,2) rather than float64
  std::string null_string;       // an unquoted field equal to this is null ("" by default)
};

enum class CsvQuoting { kMinimal, kAlways };

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  CsvQuoting quoting = CsvQuoting::kMinimal;
  bool header = true;
  std::string null_string;       // written unquoted for a null; strings equal to it are quoted
  std::string line_ending = "\n";
  bool byte_order_mark = false;  // a UTF-8 BOM at the start of the file
  std::string date_format;       // strftime-style; empty = ISO 8601 YYYY-MM-DD
  std::string timestamp_format;  // strftime-style with %f for microseconds; empty = ISO 8601
  bool formula_guard = false;    // prefix ' to text starting with = + - @ tab or CR
};

struct JsonWriteOptions {
  bool pretty = false;           // JSON array only: one row per line with indentation
};

struct ExportOptions {
  // Source: a file path, "sqlite:PATH?table=T", "sqlite:PATH?query=SQL",
  // "postgresql://...?query=SQL" or "gen:rows=N".
  std::string source;
  std::string input_format;      // csv, ndjson or json; empty = from the file extension

  // Destination: a file path, or "-" for standard output.
  std::string destination;
  std::string format;            // csv, json or ndjson; empty = from the destination's extension
  std::string compression;       // none, gzip or zstd; empty = from the extension (.gz, .zst)
  int compression_level = 0;     // 0 = the codec's default

  uint64_t chunk_bytes = 1 * kMiB;        // 8 KiB to 4 MiB
  uint64_t memory_limit = 500 * kMiB;
  uint64_t max_file_bytes = 20 * kGiB;    // larger outputs are split into parts
  bool skip_bad_rows = false;             // drop malformed rows and count them

  CsvReadOptions csv_read;
  CsvWriteOptions csv_write;
  JsonWriteOptions json_write;

  std::string export_id;         // empty = a new random id
};

}  // namespace sluice
