// Opens the Source that an export's source string names.
#pragma once

#include <memory>
#include <string>

#include "sluice/memory_governor.h"
#include "sluice/options.h"
#include "sources/source.h"

namespace sluice {

// Source strings: a file path (format from --input-format or the extension:
// .csv, .tsv, .ndjson/.jsonl, .json, .parquet), "sqlite:PATH?table=T",
// "sqlite:PATH?query=SQL", "postgresql://...?query=SQL" (also "postgres://")
// and "gen:rows=N[&seed=S]". With `memory`, the CSV and JSON readers reserve
// their buffers from it once a record or object needs more than
// kUnreservedBufferBytes. The governor must outlive the source.
std::unique_ptr<Source> OpenSource(const ExportOptions& options, MemoryGovernor* memory = nullptr);

// Returns "csv", "ndjson", "json", "parquet" or "" for a path's extension,
// ignoring a trailing .gz or .zst.
std::string InputFormatFromPath(const std::string& path);

}  // namespace sluice
