// RunExport and InspectSource: the pipeline that every front end shares.
#include <openssl/rand.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "core/error.h"
#include "pipeline/export_runner.h"
#include "pipeline/job_store.h"
#include "pipeline/options_json.h"
#include "pipeline/source_fingerprint.h"
#include "sinks/cloud/cloud_destination.h"
#include "sluice/sluice.h"
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

// True when the source reports positions and the output is a file, so
// checkpoints can continue the export.
bool CanResume(const ExportOptions& options, const Source& source) {
  // NOTE: uploads are not resumed yet; that needs the upload id and the
  // acknowledged parts in the checkpoint.
  if (options.destination == "-" || IsCloudDestination(options.destination)) return false;
  try {
    source.position();
    return true;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

ExportResult RunExport(const ExportOptions& given_options, const ProgressCallback& on_progress,
                       const CancellationToken* cancel) {
  std::string format = ValidateExportOptions(given_options);
  // A recorded export runs with absolute paths, so that its temporary files
  // and parts are found again by a resume started in another directory.
  ExportOptions options = given_options.state_dir.empty() ? given_options : WithAbsolutePaths(given_options);
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
    store->create(record);
  }

  std::unique_ptr<Source> source;
  try {
    source = OpenSource(options);
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
  return RunPipeline(options, format, *source, RunStart{}, run_record, on_progress, cancel);
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
