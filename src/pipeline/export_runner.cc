#include "pipeline/export_runner.h"

#include <sys/stat.h>

#include <unistd.h>

#include <chrono>

#include "core/error.h"
#include "core/process_memory.h"
#include "core/size.h"
#include "formats/writer_factory.h"
#include "pipeline/batch_prefetcher.h"
#include "pipeline/progress_tracker.h"
#include "sluice/memory_governor.h"
#include "sinks/cloud/cloud_destination.h"
#include "transforms/transform_chain.h"

namespace sluice {

namespace {

constexpr uint64_t kMinChunkBytes = 8 * kKiB;
constexpr uint64_t kMaxChunkBytes = 4 * kMiB;

void CheckCancelled(const CancellationToken* cancel) {
  if (cancel != nullptr && cancel->cancelled()) {
    throw Error(ErrorKind::kCancelled, "export cancelled; no output was kept");
  }
}

// Records parts in the job store as the output completes them.
class StorePartListener : public PartListener {
 public:
  StorePartListener(JobStore& store, std::string id) : store_(store), id_(std::move(id)) {}

  void part_opened(uint64_t number, const std::string& path, const std::string& temp_path) override {
    PartRecord part;
    part.part = number;
    part.path = path;
    part.temp_path = temp_path;
    part.status = PartStatus::kOpen;
    store_.record_part(id_, part);
  }

  void part_completing(const OutputFile& file, const std::string& temp_path, uint64_t number,
                       const Checkpoint* next_start) override {
    PartRecord part;
    part.part = number;
    part.path = file.path;
    part.temp_path = temp_path;
    part.rows = file.rows;
    part.bytes = file.bytes;
    part.sha256 = file.sha256;
    part.status = PartStatus::kCompleting;
    store_.complete_part(id_, part, next_start);
  }

  void part_committed(uint64_t number) override { store_.mark_part_committed(id_, number); }

  void upload_changed(const CloudUploadState& state) override { store_.record_upload_state(id_, state); }

 private:
  JobStore& store_;
  std::string id_;
};

// True for failures that a resume can get past once their cause is fixed:
// a full disk, a lost connection, the memory limit. Invalid data or options
// fail again the same way, so their partial output is removed at once.
bool FailureCanBeResumed(ErrorKind kind) {
  return kind == ErrorKind::kIO || kind == ErrorKind::kSource || kind == ErrorKind::kMemoryLimit;
}

// Drops the first `skip` rows of `batch` into `slice` and returns the rows to write.
const Batch& SkipRows(const Batch& batch, uint64_t skip, Batch& slice) {
  if (skip == 0) return batch;
  size_t begin = std::min<size_t>(static_cast<size_t>(skip), batch.num_rows());
  slice.assign_rows(batch, begin, batch.num_rows());
  return slice;
}

// The source's row count: reported, else extrapolated from the share of
// the input read so far, else 0 (unknown).
uint64_t ExpectedRows(const SourceProgress& progress) {
  if (progress.total_rows) return *progress.total_rows;
  if (progress.total_bytes && progress.bytes_read > 0) {
    return static_cast<uint64_t>(static_cast<double>(progress.rows_read) * static_cast<double>(*progress.total_bytes) /
                                 static_cast<double>(progress.bytes_read));
  }
  return 0;
}

// Fails early, naming the destination itself, when its directory is missing:
// the sink would otherwise report the name of the part it writes first.
void CheckDestinationDirectory(const std::string& destination) {
  if (destination == "-" || IsCloudDestination(destination)) return;
  size_t slash = destination.rfind('/');
  std::string directory = slash == std::string::npos ? "." : destination.substr(0, slash == 0 ? 1 : slash);
  struct stat info;
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw IOError("cannot write " + destination + ": directory " + directory +
                  " does not exist; create it or choose another destination");
  }
}

// Starts the output, or continues it from start.output. Opening a FIFO
// destination waits for a reader, and `cancel` stops that wait. A
// cancellation is recorded in `store`. Other errors leave the record as it
// is, so that a resume rejected for a wrong password can be run again.
SplitOutput OpenOutput(const ExportOptions& options, const Schema& schema, const std::string& format,
                       MemoryGovernor& memory, PartListener* listener, const RunStart& start,
                       const CancellationToken* cancel, JobStore* store) {
  try {
    return SplitOutput(options, schema, format, options.export_id, memory, listener, start.output, cancel);
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::kCancelled && store != nullptr) {
      try {
        store->set_state(options.export_id, ExportState::kCancelled, error.what());
      } catch (const Error&) {
        // The cancellation is the error to report.
      }
    }
    throw;
  }
}

}  // namespace

std::string ValidateExportOptions(const ExportOptions& options) {
  if (options.chunk_bytes < kMinChunkBytes || options.chunk_bytes > kMaxChunkBytes) {
    throw InvalidOption("invalid --chunk-size " + FormatSize(options.chunk_bytes) +
                       ": use a size from 8KB to 4MB");
  }
  if (options.max_file_bytes != 0 && options.max_file_bytes < options.chunk_bytes) {
    throw InvalidOption("invalid --max-file-size " + FormatSize(options.max_file_bytes) +
                       ": it must be at least the chunk size (" + FormatSize(options.chunk_bytes) + ")");
  }
  if (options.memory_limit < 2 * options.chunk_bytes) {
    throw InvalidOption("invalid --memory-limit " + FormatSize(options.memory_limit) +
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
  CheckFormatMatchesPath(options.format, options.destination);
  ResolveCompression(options);
  CheckDestinationDirectory(options.destination);
  return format;
}

uint64_t CheckpointIntervalChunks(const ExportOptions& options) {
  if (options.checkpoint_bytes == 0) return 0;
  return std::max<uint64_t>(1, options.checkpoint_bytes / options.chunk_bytes);
}

std::unique_ptr<MemoryGovernor> NewExportMemoryGovernor(const ExportOptions& options) {
  return std::make_unique<MemoryGovernor>(options.memory_limit, std::chrono::milliseconds(options.memory_grace_ms),
                                          "--memory-limit", options.shared_memory);
}

ExportResult RunPipeline(const ExportOptions& options, const std::string& format, Source& source,
                         const RunStart& start, const RunRecord& record,
                         const ProgressCallback& on_progress, const CancellationToken* cancel,
                         MemoryGovernor* budget) {
  auto started = std::chrono::steady_clock::now();
  const std::string& id = options.export_id;
  JobStore* store = record.store;
  bool checkpoints_recorded = store != nullptr && record.resumable;

  // The export's budget: every large buffer of this run is reserved from it.
  std::unique_ptr<MemoryGovernor> own_budget;
  if (budget == nullptr) {
    own_budget = NewExportMemoryGovernor(options);
    budget = own_budget.get();
  }
  MemoryGovernor& memory = *budget;

  if (!start.source_position.empty()) source.seek(start.source_position);
  const Schema& schema = source.schema();
  std::optional<StorePartListener> listener;
  if (checkpoints_recorded) listener.emplace(*store, id);
  SplitOutput output = OpenOutput(options, schema, format, memory, listener ? &*listener : nullptr, start,
                                  cancel, store);
  output.keep_partial_files(checkpoints_recorded);
  ProgressTracker tracker(id, options.chunk_bytes);
  uint64_t interval = CheckpointIntervalChunks(options);

  Batch slice(schema);
  uint64_t records = start.records;
  uint64_t chunk = start.chunk;
  uint64_t skip = start.skip_rows;
  auto store_progress_at = std::chrono::steady_clock::now();
  try {
    if (checkpoints_recorded && start.output == nullptr) {
      Checkpoint part_start;
      part_start.part_start = true;
      part_start.source_position = source.position();
      store->add_checkpoint(id, part_start);
    }

    // From here until the prefetcher is destroyed, its reader thread owns
    // `source`. Every position and progress value comes with the batch, so a
    // checkpoint records where the last written batch ended, not how far the
    // reader has got.
    // On a quiet 2-core machine this cut a 10M-row CSV-to-Parquet export
    // from 4.31 s to 3.27 s (bench/NOTES.md). Under heavy load from other
    // processes the extra thread can cost more in scheduling than it saves.
    BatchPrefetcher prefetcher(source, memory, checkpoints_recorded);
    while (true) {
      CheckCancelled(cancel);
      const PrefetchedBatch* batch = prefetcher.next();
      if (batch == nullptr) break;
      const Batch& rows = SkipRows(batch->batch, skip, slice);
      if (checkpoints_recorded) {
        output.set_batch_origin(BatchOrigin{batch->position_before, chunk, records - skip, skip});
      }
      skip = 0;
      output.set_expected_rows(ExpectedRows(batch->progress));
      output.write_batch(rows);
      records += rows.num_rows();
      ++chunk;

      if (interval != 0 && chunk % interval == 0) {
        Checkpoint checkpoint;
        bool usable = output.checkpoint(checkpoint, checkpoints_recorded);
        if (store != nullptr) {
          if (usable && checkpoints_recorded) {
            checkpoint.chunk = chunk;
            checkpoint.records = records;
            checkpoint.source_position = batch->position_after;
            store->add_checkpoint(id, checkpoint);
          }
          store->update_progress(id, records, batch->progress.total_rows, output.bytes_written(),
                                 tracker.snapshot().percent_complete);
          if (store->cancel_requested(id)) {
            throw Error(ErrorKind::kCancelled, "export " + id + " was cancelled; its partial output was removed");
          }
        }
      }
      if (tracker.update(batch->progress, records, output.bytes_written()) && on_progress) {
        on_progress(tracker.snapshot());
      }
      // Checkpoints are --checkpoint-interval (32MB by default) of input
      // apart, so between them `sluice exports` gets progress once a second.
      if (store != nullptr && std::chrono::steady_clock::now() - store_progress_at >= std::chrono::seconds(1)) {
        store->update_progress(id, records, batch->progress.total_rows, output.bytes_written(),
                               tracker.snapshot().percent_complete);
        store_progress_at = std::chrono::steady_clock::now();
      }
    }
    CheckCancelled(cancel);
    output.finish();
  } catch (const Error& error) {
    bool cancelled = error.kind() == ErrorKind::kCancelled;
    output.abort(checkpoints_recorded && FailureCanBeResumed(error.kind()));
    if (store != nullptr) {
      try {
        store->set_state(id, cancelled ? ExportState::kCancelled : ExportState::kFailed, error.what());
      } catch (const Error&) {
        // The export's own error is the one to report.
      }
    }
    throw;
  } catch (...) {
    output.abort(false);
    if (store != nullptr) {
      try {
        store->set_state(id, ExportState::kFailed, "internal error");
      } catch (const Error&) {
      }
    }
    throw;
  }

  tracker.finish(records, output.bytes_written());
  if (on_progress) on_progress(tracker.snapshot());
  if (store != nullptr) {
    store->update_progress(id, records, records, output.bytes_written(), 100);
    store->set_state(id, ExportState::kCompleted);
  }

  ExportResult result;
  result.export_id = id;
  result.records_exported = records;
  result.bytes_written = output.bytes_written();
  result.skipped_rows = source.skipped_rows();
  result.altered_values = output.altered_values();
  result.files = output.files();
  result.manifest_path = output.manifest_path();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  result.peak_rss_bytes = PeakRssBytes();
  result.peak_reserved_bytes = memory.peak_reserved();
  return result;
}

}  // namespace sluice
