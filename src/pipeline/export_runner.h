// The export loop that RunExport and ResumeExport share: read a batch,
// write it, and every few chunks take a checkpoint.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pipeline/job_store.h"
#include "pipeline/split_output.h"
#include "sluice/memory_governor.h"
#include "sluice/sluice.h"
#include "sources/source.h"

namespace sluice {

// Checks the options that do not depend on the source, before anything is
// opened or written, and returns the output format.
std::string ValidateExportOptions(const ExportOptions& options);

// The starting point of a run: the start of the export, or a checkpoint.
struct RunStart {
  std::string source_position;       // empty: the source is read from its start
  uint64_t skip_rows = 0;            // rows of the first batch already in the output
  uint64_t chunk = 0;                // batches read before the start
  uint64_t records = 0;              // rows exported before the start
  const SplitResume* output = nullptr;  // null: a new output
};

// The job store's view of a run. A null `store` means no record is kept.
struct RunRecord {
  JobStore* store = nullptr;
  bool resumable = false;            // checkpoints are recorded
};

// Runs an export from its beginning under an id the job store already holds,
// replacing its record: a resume that has to start over.
ExportResult RestartExport(const ExportOptions& options, const ProgressCallback& on_progress,
                           const CancellationToken* cancel);

// Runs the export from `start` to the end, recording checkpoints, parts and
// progress in record.store. On failure the output is removed, except that a
// resumable export that failed with an I/O, source or memory-limit error
// keeps its partial file and committed parts for a resume. The store's state
// is set to completed, failed or cancelled at the end.
// `budget` is the export's memory budget, which the source's buffers may
// already count against; null makes one from the options.
ExportResult RunPipeline(const ExportOptions& options, const std::string& format, Source& source,
                         const RunStart& start, const RunRecord& record,
                         const ProgressCallback& on_progress, const CancellationToken* cancel,
                         MemoryGovernor* budget = nullptr);

// Makes an export's memory budget: options.memory_limit, waiting up to
// options.memory_grace_ms, counted against options.shared_memory when set.
std::unique_ptr<MemoryGovernor> NewExportMemoryGovernor(const ExportOptions& options);

// Chunks between checkpoints for the options, or 0 for none.
uint64_t CheckpointIntervalChunks(const ExportOptions& options);

}  // namespace sluice
