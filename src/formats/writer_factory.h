// Creates the FormatWriter for an output format name.
#pragma once

#include <memory>
#include <string>

#include "formats/format_writer.h"
#include "sluice/memory_governor.h"
#include "sluice/options.h"

namespace sluice {

// REQUIRES: format is one of the names SupportedFormats() lists. Parquet,
// Avro, CSV and JSON writers reserve their buffers from `memory` unless it
// is null.
std::unique_ptr<FormatWriter> MakeFormatWriter(const std::string& format,
                                               const ExportOptions& options,
                                               MemoryGovernor* memory = nullptr);

// Returns the format implied by a destination path's extension (".csv",
// ".tsv" gives csv, ".json", ".ndjson"/".jsonl", ".parquet", ".avro", ".xlsx"), ignoring a
// trailing ".gz" or ".zst", or "" when there is none.
std::string FormatFromPath(const std::string& path);

// Throws InvalidOption naming both when `format` (--format) is set and the
// destination's extension implies another format, as --format parquet with
// x.csv does. A .tsv extension implies csv.
void CheckFormatMatchesPath(const std::string& format, const std::string& destination);

// "csv, json, ndjson, ..." for messages.
std::string SupportedFormats();
bool IsSupportedFormat(const std::string& format);

}  // namespace sluice
