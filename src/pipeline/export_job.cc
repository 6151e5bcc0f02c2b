// RunExport and InspectSource: the pipeline that every front end shares.
#include <openssl/rand.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "core/error.h"
#include "pipeline/export_runner.h"
#include "pipeline/job_store.h"
#include "pipeline/local_destination.h"
#include "pipeline/options_json.h"
#include "pipeline/resume.h"
#include "pipeline/source_fingerprint.h"
#include "sluice/sluice.h"
#include "sinks/special_file_sink.h"
#include "sources/source_factory.h"

namespace sluice {

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

const char* Version() { return SLUICE_VERSION; }

namespace {

// True when the source reports positions and the output is a regular file
// or an upload, so checkpoints can continue the export. Standard output, a
// device and a FIFO are written in place, so their bytes cannot be taken back.
bool CanResume(const ExportOptions& options, const Source& source) {
  if (options.destination == "-" || IsSpecialFile(options.destination)) return false;
  try {
    source.position();
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Returns the error message for a new export with the id of `existing`. The
// record contains the resume state or result of another run, which the new
// export would overwrite.
std::string ReusedIdMessage(const ExportRecord& existing) {
  const std::string& id = existing.id;
  switch (existing.state) {
    case ExportState::kRunning:
    case ExportState::kQueued:
      if (ProcessAlive(existing.pid)) {
        return "export ID " + id + " is running in process " + std::to_string(existing.pid) +
               "; choose another id";
      }
      return "export ID " + id + " belongs to an interrupted export; continue it with `sluice resume " + id +
             "` or choose another id";
    case ExportState::kFailed:
      return "export ID " + id + " belongs to a failed export; continue it with `sluice resume " + id +
             "` or choose another id";
    case ExportState::kCompleted:
    case ExportState::kCancelled:
      break;
  }
  return "export ID " + id + " is already used by a " + ExportStateName(existing.state) +
         " export; choose another id (`sluice exports` lists the ids in use)";
}


// Starts an export from the beginning. With `replace_record`, the job store
// already contains the id (a resume that starts over) and its record is
// replaced. Otherwise a reused id is rejected.
ExportResult StartExport(const ExportOptions& given_options, const ProgressCallback& on_progress,
                         const CancellationToken* cancel, bool replace_record) {
  std::string format = ValidateExportOptions(given_options);
  CheckDestinationFile(given_options);
  // A recorded export runs with absolute paths, so that its temporary files
  // and parts are found again by a resume started in another directory.
  ExportOptions options = given_options.state_dir.empty() ? given_options : WithAbsolutePaths(given_options);
  options.destination = ResolveDestinationLink(options.destination);
  if (options.export_id.empty()) options.export_id = NewExportId();

  std::unique_ptr<JobStore> store;
  if (!options.state_dir.empty()) {
    store = std::make_unique<JobStore>(options.state_dir);
    ExportRecord record;
    record.id = options.export_id;
    record.state = ExportState::kRunning;
    record.options_json = OptionsToJson(options);
    record.format = format;
    record.pid = ::getpid();
    if (replace_record) {
      store->create(record);
    } else if (std::optional<ExportRecord> existing = store->create_unless_exists(record)) {
      throw InvalidOption(ReusedIdMessage(*existing));
    }
  }

  // Made before the source, so the reader's buffers count from the first
  // byte read, and destroyed after it.
  std::unique_ptr<MemoryGovernor> memory = NewExportMemoryGovernor(options);
  std::unique_ptr<Source> source;
  try {
    source = OpenSource(options, memory.get());
  } catch (const Error& error) {
    if (store) store->set_state(options.export_id, ExportState::kFailed, error.what());
    throw;
  }

  RunRecord run_record;
  run_record.store = store.get();
  run_record.resumable = CanResume(options, *source);
  if (store) {
    store->set_source_info(options.export_id, SourceFingerprint(options, *source), run_record.resumable);
  }
  return RunPipeline(options, format, *source, RunStart{}, run_record, on_progress, cancel, memory.get());
}

}  // namespace

ExportResult RunExport(const ExportOptions& options, const ProgressCallback& on_progress,
                       const CancellationToken* cancel) {
  return StartExport(options, on_progress, cancel, /*replace_record=*/false);
}

ExportResult RestartExport(const ExportOptions& options, const ProgressCallback& on_progress,
                           const CancellationToken* cancel) {
  return StartExport(options, on_progress, cancel, /*replace_record=*/true);
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
