// RunExport and InspectSource: the pipeline that every front end shares.
#include <openssl/rand.h>

#include <chrono>

#include "core/error.h"
#include "core/process_memory.h"
#include "core/size.h"
#include "formats/writer_factory.h"
#include "pipeline/progress_tracker.h"
#include "pipeline/split_output.h"
#include "sluice/sluice.h"
#include "sources/source_factory.h"
#include "transforms/transform_chain.h"

namespace sluice {

namespace {

constexpr uint64_t kMinChunkBytes = 8 * kKiB;
constexpr uint64_t kMaxChunkBytes = 4 * kMiB;

}  // namespace

std::string NewExportId() {
  unsigned char random[8];
  if (RAND_bytes(random, sizeof random) != 1) {
    throw Error(ErrorKind::kInternal, "cannot draw a random export id from OpenSSL");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char byte : random) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 15]);
  }
  return id;
}

namespace {

// Checks the options that do not depend on the source, before anything is
// opened or written.
std::string ValidateOptions(const ExportOptions& options) {
  if (options.chunk_bytes < kMinChunkBytes || options.chunk_bytes > kMaxChunkBytes) {
    throw InvalidOption("invalid chunk size " + FormatSize(options.chunk_bytes) +
                       ": use a size from 8KB to 4MB");
  }
  if (options.max_file_bytes != 0 && options.max_file_bytes < options.chunk_bytes) {
    throw InvalidOption("invalid maximum file size " + FormatSize(options.max_file_bytes) +
                       ": it must be at least the chunk size (" + FormatSize(options.chunk_bytes) + ")");
  }
  if (options.memory_limit < 2 * options.chunk_bytes) {
    throw InvalidOption("invalid memory limit " + FormatSize(options.memory_limit) +
                       ": it must be at least twice the chunk size (" +
                       FormatSize(options.chunk_bytes) + ")");
  }
  if (options.destination.empty()) {
    throw InvalidOption("missing destination: pass --to with a file path, or - for standard output");
  }

  std::string format = options.format;
  if (format.empty()) {
    format = FormatFromPath(options.destination);
    if (format.empty()) {
      throw InvalidOption("cannot tell the output format from '" + options.destination +
                         "': pass --format with one of " + SupportedFormats());
    }
  }
  if (!IsSupportedFormat(format)) {
    throw InvalidOption("unknown output format '" + format + "': use one of " + SupportedFormats());
  }
  ResolveCompression(options);
  return format;
}

void CheckCancelled(const CancellationToken* cancel) {
  if (cancel != nullptr && cancel->cancelled()) {
    throw Error(ErrorKind::kCancelled, "export cancelled; no output was kept");
  }
}

}  // namespace

const char* Version() { return SLUICE_VERSION; }

ExportResult RunExport(const ExportOptions& options, const ProgressCallback& on_progress,
                       const CancellationToken* cancel) {
  auto started = std::chrono::steady_clock::now();
  std::string format = ValidateOptions(options);
  ExportResult result;
  result.export_id = options.export_id.empty() ? NewExportId() : options.export_id;

  std::unique_ptr<Source> source = OpenSource(options);
  const Schema& schema = source->schema();
  SplitOutput output(options, schema, format, result.export_id);
  ProgressTracker tracker(result.export_id, options.chunk_bytes);

  Batch batch(schema);
  uint64_t records = 0;
  try {
    while (true) {
      CheckCancelled(cancel);
      if (!source->next_batch(batch)) break;
      output.write_batch(batch);
      records += batch.num_rows();
      if (tracker.update(source->progress(), records, output.bytes_written()) && on_progress) {
        on_progress(tracker.snapshot());
      }
    }
    CheckCancelled(cancel);
    output.finish();
  } catch (...) {
    output.abort();
    throw;
  }

  tracker.finish(records, output.bytes_written());
  if (on_progress) on_progress(tracker.snapshot());

  result.records_exported = records;
  result.bytes_written = output.bytes_written();
  result.skipped_rows = source->skipped_rows();
  result.altered_values = output.altered_values();
  result.files = output.files();
  result.manifest_path = output.manifest_path();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_rss_bytes = PeakRssBytes();
  return result;
}

SourceInfo InspectSource(const ExportOptions& options) {
  std::unique_ptr<Source> source = OpenSource(options);
  SourceInfo info;
  for (const Field& field : source->schema()) {
    info.columns.push_back(ColumnInfo{field.name, TypeName(field.type), field.nullable});
  }
  SourceProgress progress = source->progress();
  info.size_bytes = progress.total_bytes;
  info.row_estimate = progress.total_rows;
  info.row_estimate_exact = progress.total_rows_exact;
  if (!info.row_estimate && progress.total_bytes && progress.bytes_read > 0 && progress.rows_read > 0) {
    // Sources that infer their schema have already read a sample.
    info.row_estimate = static_cast<uint64_t>(static_cast<double>(progress.rows_read) *
                                              static_cast<double>(*progress.total_bytes) /
                                              static_cast<double>(progress.bytes_read));
  }
  return info;
}

}  // namespace sluice
