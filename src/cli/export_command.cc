// `sluice export`: runs one export and reports its progress and summary.
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/layered_arguments.h"
#include "cli/flag_values.h"
#include "cli/option_groups.h"
#include "cli/progress_reporter.h"
#include "cli/signals.h"
#include "cli/state_dir_flag.h"
#include "core/size.h"
#include "sluice/sluice.h"
#include "transforms/transform_chain.h"

namespace sluice::cli {

namespace {

struct ExportFlags {
  ExportOptions options;
  std::string chunk_size = "1MB";
  std::string memory_limit = "500MB";
  std::string memory_grace = "10s";
  std::string max_file_size = "20GB";
  std::string progress = "auto";
  std::string config;
  std::string state_dir;
  std::string checkpoint_interval = "32MB";
  std::optional<uint64_t> encryption_test_seed;
  bool quiet = false;
};

void AddCoreFlags(CLI::App& command, ExportFlags& flags) {
  ExportOptions& options = flags.options;
  command.add_option("--from", options.source,
                     "Source: a file path (.csv .tsv .ndjson .jsonl .json .parquet), "
                     "sqlite:PATH?table=T, sqlite:PATH?query=SQL, postgresql://...?query=SQL "
                     "or gen:rows=N")
      ->required();
  command.add_option("--to", options.destination, "Destination file path, or - for standard output")
      ->required();
  command.add_option("--format", options.format,
                     "Output format: csv, json, ndjson, parquet, avro or xlsx "
                     "(default: from the destination's extension)");
  command.add_option("--input-format", options.input_format,
                     "Format of a file source: csv, ndjson, json or parquet (default: from its extension)");
  command.add_option("--schema", options.csv_read.schema,
                     "Column names and types of a file source, overriding inference: "
                     "\"id:int64,price:decimal(10,2),note:string\"");
  command.add_flag("--skip-bad-rows", options.skip_bad_rows,
                   "Skip malformed input rows and report how many were skipped, instead of stopping");
  command.add_option("--compression", options.compression,
                     "Output compression: none, gzip or zstd (default: from the extension .gz or .zst)");
  command.add_option("--compression-level", options.compression_level,
                     "Compression level (gzip 1-9, zstd 1-22; default: the codec's own)");
  command.add_option("--chunk-size", flags.chunk_size,
                     "Input read per batch, 8KB to 4MB (default 1MB; 1KB = 1024 bytes)");
  command.add_option("--memory-limit", flags.memory_limit, "Memory budget of the export (default 500MB)");
  command.add_option("--memory-grace", flags.memory_grace,
                     "How long a buffer waits for memory held by others before the export fails "
                     "with exit code 7, such as 500ms or 10s (default 10s)");
  command.add_option("--max-file-size", flags.max_file_size,
                     "Largest output file; a larger export is split into numbered parts "
                     "plus a manifest (default 20GB)");
  command.add_option("--export-id", options.export_id, "Id of the export (default: a new random id)");
  command.add_option("--progress", flags.progress,
                     "Progress display: auto (a bar on a terminal), bar, json (one JSON object "
                     "per update on standard error) or none");
  command.add_flag("-q,--quiet", flags.quiet, "Print errors only");
  command.add_option("--config", flags.config,
                     "Configuration file of key = value lines (also SLUICE_CONFIG)");
  AddStateDirFlag(command, flags.state_dir);
  command.add_option("--checkpoint-interval", flags.checkpoint_interval,
                     "Input read between checkpoints that a resume can continue from, rounded to whole "
                     "chunks (default 32MB; 0 = none)");
  // Test-only and hidden: fixes the encryption salt and nonce prefix so two
  // runs give the same bytes. Never use it for real data.
  command.add_option("--encryption-test-seed", flags.encryption_test_seed)->group("");
}

// Returns `source` with the password of a URL such as
// postgresql://user:secret@host/db replaced by "***", for logs.
std::string RedactPassword(const std::string& source) {
  size_t scheme = source.find("://");
  if (scheme == std::string::npos) return source;
  size_t at = source.find('@', scheme + 3);
  size_t slash = source.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return source;
  size_t colon = source.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return source;
  return source.substr(0, colon + 1) + "***" + source.substr(at);
}

// Returns a destination URL without its query string, which may hold a SAS
// token, for logs.
std::string RedactQuery(const std::string& destination) {
  size_t scheme = destination.find("://");
  size_t question = destination.find('?');
  if (scheme == std::string::npos || question == std::string::npos) return destination;
  return destination.substr(0, question) + "?***";
}

// True when the job store contains a resumable record of this export, so a
// failure can point to `sluice resume`.
bool HasResumableRecord(const ExportOptions& options) {
  if (options.state_dir.empty() || options.destination == "-" || options.export_id.empty()) return false;
  try {
    JobStore store(options.state_dir);
    std::optional<ExportRecord> record = store.find(options.export_id);
    return record.has_value() && record->resumable;
  } catch (const Error&) {
    return false;
  }
}

void LogSummary(const ExportResult& result) {
  spdlog::info("export {} finished: {} rows, {} written in {:.2f} s, peak memory {} resident, {} reserved",
               result.export_id, result.records_exported, FormatSize(result.bytes_written), result.seconds,
               FormatSize(result.peak_rss_bytes), FormatSize(result.peak_reserved_bytes));
  if (result.skipped_rows > 0) {
    spdlog::warn("export {}: skipped {} malformed rows", result.export_id, result.skipped_rows);
  }
  if (result.altered_values > 0) {
    spdlog::warn("export {}: {} values were changed to fit the format (see the format's documentation)",
                 result.export_id, result.altered_values);
  }
  if (!result.manifest_path.empty()) {
    spdlog::info("export {}: split into {} parts, listed in {}", result.export_id, result.files.size(),
                 result.manifest_path);
  }
}

int RunExportCommand(ExportFlags& flags) {
  ExportOptions& options = flags.options;
  try {
    options.chunk_bytes = ParseSizeFlag("--chunk-size", flags.chunk_size);
    options.memory_limit = ParseSizeFlag("--memory-limit", flags.memory_limit);
    options.memory_grace_ms = ParseDurationMsFlag("--memory-grace", flags.memory_grace);
    options.max_file_bytes = ParseSizeFlag("--max-file-size", flags.max_file_size);
    options.checkpoint_bytes =
        flags.checkpoint_interval == "0" ? 0 : ParseSizeFlag("--checkpoint-interval", flags.checkpoint_interval);
    try {
      options.state_dir = ResolveStateDir(flags.state_dir);
      JobStore probe(options.state_dir);
    } catch (const Error& error) {
      // An export without a record still works; it just cannot be resumed.
      spdlog::warn("the export will not be resumable: {}", error.what());
      options.state_dir.clear();
    }
    if (flags.encryption_test_seed) options.encryption.test_seed = flags.encryption_test_seed;
    ProgressReporter reporter(ParseProgressMode(flags.progress));
    if (flags.quiet) spdlog::set_level(spdlog::level::warn);

    CancellationToken cancel;
    CancelOnSignals(cancel);
    ProgressCallback on_progress = [&](const ExportProgress& progress) { reporter.report(progress); };

    if (options.compression_level != 0 && ResolveCompression(options) == "none") {
      spdlog::warn("--compression-level {} has no effect without compression; pass --compression gzip or zstd, "
                   "or a .gz or .zst destination",
                   options.compression_level);
    }
    if (options.export_id.empty()) options.export_id = NewExportId();
    spdlog::info("export {} started: {} -> {}", options.export_id, RedactPassword(options.source),
                 RedactQuery(options.destination));
    ExportResult result;
    try {
      result = RunExport(options, on_progress, &cancel);
    } catch (...) {
      reporter.close();
      throw;
    }
    reporter.close();
    LogSummary(result);
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", WithOptionOrigins(error.what()));
    bool resumable_failure = error.kind() == ErrorKind::kIO || error.kind() == ErrorKind::kSource ||
                             error.kind() == ErrorKind::kMemoryLimit;
    if (resumable_failure && HasResumableRecord(options)) {
      spdlog::info("export {}: once the cause is fixed, continue it with: sluice resume {}", options.export_id,
                   options.export_id);
    }
    return ExitCodeFor(error.kind());
  } catch (const std::exception& error) {
    spdlog::error("error: internal error: {}", error.what());
    return kExitInternal;
  }
}

}  // namespace

void AddExportCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExportFlags>();
  CLI::App* command = app.add_subcommand("export", "Export a dataset to a file or standard output");
  AddCoreFlags(*command, *flags);
  AddCsvFlags(*command, flags->options);
  AddJsonFlags(*command, flags->options);
  AddAvroFlags(*command, flags->options);
  AddParquetFlags(*command, flags->options);
  AddXlsxFlags(*command, flags->options);
  AddCloudFlags(*command, flags->options);
  AddEncryptionFlags(*command, flags->options);
  command->callback([flags, &exit_code]() { exit_code = RunExportCommand(*flags); });
}

}  // namespace sluice::cli
