// Creates the FormatWriter for an output format name.
#pragma once

#include <memory>
#include <string>

#include "formats/format_writer.h"
#include "sluice/options.h"

namespace sluice {

// REQUIRES: format is one of the names SupportedFormats() lists.
std::unique_ptr<FormatWriter> MakeFormatWriter(const std::string& format,
                                               const ExportOptions& options);

// Returns the format implied by a destination path's extension (".csv",
// ".json", ".ndjson"/".jsonl", ".parquet", ".avro", ".xlsx"), ignoring a
// trailing ".gz" or ".zst", or "" when there is none.
std::string FormatFromPath(const std::string& path);

// "csv, json, ndjson, ..." for messages.
std::string SupportedFormats();
bool IsSupportedFormat(const std::string& format);

}  // namespace sluice
