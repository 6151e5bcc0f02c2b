// libsluice: a streaming data-export engine.
//
// A program embeds Sluice by filling ExportOptions and calling RunExport().
// The call streams the source through a format writer into the destination
// with memory bounded by the chunk size, reports progress through a callback
// and stops early when its CancellationToken is cancelled. Errors are thrown
// as sluice::Error (see error.h) with a message that names the value and the fix.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sluice/error.h"
#include "sluice/options.h"

namespace sluice {

// What an export reports while it runs.
struct ExportProgress {
  std::string export_id;
  double percent_complete = 0;             // 0..100
  uint64_t records_exported = 0;
  uint64_t total_records = 0;              // exact or estimated, see total_records_exact
  bool total_records_exact = false;
  std::optional<double> estimated_seconds_remaining;  // unknown until there is a rate
  uint64_t current_chunk = 0;              // 1-based number of the chunk being written
  uint64_t total_chunks = 0;               // estimated from the source's size
  uint64_t bytes_written = 0;              // output bytes after compression
};

struct OutputFile {
  std::string path;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  std::string sha256;                      // lower-case hex
};

struct ExportResult {
  std::string export_id;
  uint64_t records_exported = 0;
  uint64_t bytes_written = 0;
  uint64_t skipped_rows = 0;               // malformed rows dropped with skip_bad_rows
  uint64_t altered_values = 0;             // values a writer had to change, e.g. cut XLSX text
  std::vector<OutputFile> files;           // one file, or each part of a split export
  std::string manifest_path;               // set when the export was split into parts
  double seconds = 0;
  uint64_t peak_rss_bytes = 0;             // the process's peak resident memory
  uint64_t peak_reserved_bytes = 0;        // maximum reserved from the export's memory budget
};

class CancellationToken {
 public:
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

using ProgressCallback = std::function<void(const ExportProgress&)>;

// Runs one export to completion. The progress callback is called from the
// exporting thread at most a few times per second, and once at the end.
// Throws sluice::Error; on any failure or cancellation nothing is left under
// the destination's final name.
ExportResult RunExport(const ExportOptions& options,
                       const ProgressCallback& on_progress = {},
                       const CancellationToken* cancel = nullptr);

struct ColumnInfo {
  std::string name;
  std::string type;   // as TypeName() writes it: "int64", "decimal(10,2)", ...
  bool nullable = true;
};

struct SourceInfo {
  std::vector<ColumnInfo> columns;
  std::optional<uint64_t> row_estimate;
  bool row_estimate_exact = false;
  std::optional<uint64_t> size_bytes;
};

// Opens the source, infers or reads its schema, and estimates its rows.
SourceInfo InspectSource(const ExportOptions& options);

// Returns a new random export id: 16 lower-case hex digits.
std::string NewExportId();

// The version of the library, such as "0.1.0".
const char* Version();

}  // namespace sluice
