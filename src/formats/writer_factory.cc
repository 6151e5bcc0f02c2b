#include "formats/writer_factory.h"

#include <algorithm>
#include <array>

#include "core/error.h"
#include "formats/avro/avro_writer.h"
#include "formats/csv_writer.h"
#include "formats/json_writer.h"
#include "formats/parquet/parquet_writer.h"
#include "formats/xlsx/xlsx_writer.h"

namespace sluice {

namespace {

constexpr std::array<const char*, 6> kFormats = {"csv", "json", "ndjson", "parquet", "avro", "xlsx"};

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string SupportedFormats() {
  std::string names;
  for (const char* format : kFormats) {
    if (!names.empty()) names += ", ";
    names += format;
  }
  return names;
}

bool IsSupportedFormat(const std::string& format) {
  return std::find(kFormats.begin(), kFormats.end(), format) != kFormats.end();
}

// Returns `raw_path` in lowercase without its encryption and compression
// extensions, which come after the format's own.
std::string InnerPath(const std::string& raw_path) {
  std::string path = raw_path;
  std::transform(path.begin(), path.end(), path.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* outer : {".age", ".enc", ".gz", ".zst"}) {
    if (EndsWith(path, outer)) path.resize(path.size() - std::string(outer).size());
  }
  return path;
}

std::string FormatFromPath(const std::string& raw_path) {
  std::string path = InnerPath(raw_path);
  if (EndsWith(path, ".jsonl")) return "ndjson";
  if (EndsWith(path, ".tsv")) return "csv";
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string extension = path.substr(dot + 1);
  return IsSupportedFormat(extension) ? extension : "";
}

void CheckFormatMatchesPath(const std::string& format, const std::string& destination) {
  std::string implied = FormatFromPath(destination);
  if (format.empty() || implied.empty() || implied == format) return;
  throw InvalidOption("conflicting options: --format " + format + " but the destination " + destination +
                      " has the extension of " + implied + "; drop --format or change the extension");
}

std::unique_ptr<FormatWriter> MakeFormatWriter(const std::string& format,
                                               const ExportOptions& options,
                                               MemoryGovernor* memory) {
  if (format == "csv") {
    // A .tsv destination gets tabs unless --delimiter chose another
    // character, as a .tsv source is read.
    CsvWriteOptions csv = options.csv_write;
    if (EndsWith(InnerPath(options.destination), ".tsv") && csv.delimiter == ',') csv.delimiter = '\t';
    auto writer = std::make_unique<CsvWriter>(csv);
    writer->set_memory_governor(memory);
    return writer;
  }
  if (format == "ndjson" || format == "json") {
    auto writer = std::make_unique<JsonWriter>(format == "json", options.json_write);
    writer->set_memory_governor(memory);
    return writer;
  }
  if (format == "parquet") return MakeParquetWriter(options, memory);
  if (format == "avro") return MakeAvroWriter(options, memory);
  if (format == "xlsx") return MakeXlsxWriter(options);
  throw InvalidOption("unknown output format '" + format + "': use one of " + SupportedFormats());
}

}  // namespace sluice
