// ResumeExport: continues an interrupted or failed export from its newest
// durable checkpoint (see docs/resume.md).
//
// Resume replays rather than patches, because output is deterministic for
// given options. The source seeks to the checkpoint's position, and the
// format writer and the encryption container are restored from their states.
// Compression starts a new frame, as every checkpoint ends one in interrupted
// and uninterrupted runs alike. The partial file is cut back to the
// checkpoint's durable offset, and the rest is generated again. The finished file is byte-identical to the one an
// uninterrupted export would have written.
//
// An encrypted part is cut back to its last sealed segment; the plaintext
// after that segment is regenerated from the newest checkpoint at or before
// it, and the bytes before the segment boundary are dropped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace sluice {

struct ResumeRequest {
  std::string export_id;
  std::string state_dir;
  std::string password;                   // for an encrypted export; never stored
  bool allow_changed_source = false;
};

struct ResumeOutcome {
  ExportResult result;
  // A description of where the export continued, for the log: "from chunk 120 of part 1 (byte
  // 7340032)", or "from the beginning: ..." with the reason.
  std::string resumed_from;
};

// Reads the export's options from the job store (they never contain the
// password), checks that the source is unchanged and continues the export.
// A cloud upload that was recorded just before its completing request is
// finished without reading the source (see MultipartSink::finish_recorded_upload).
// `on_start` is called with ResumeOutcome::resumed_from before rows are
// read. Throws InvalidOption when the export is unknown, still running,
// completed or cancelled, InvalidInput when its source changed (naming what
// changed), and what RunExport throws.
ResumeOutcome ResumeExport(const ResumeRequest& request, const ProgressCallback& on_progress = {},
                           const CancellationToken* cancel = nullptr,
                           const std::function<void(const std::string&)>& on_start = {});

// Whether an encrypted export needs a password to resume, from its record:
// false for one that only has to finish its completing upload, and for a
// completed or cancelled one, which cannot be resumed.
// Throws InvalidOption when the export is unknown.
bool ResumeNeedsPassword(const std::string& state_dir, const std::string& export_id);

struct CancelOutcome {
  // The files removed, and "the unfinished upload of URL" when the provider
  // deleted the export's upload.
  std::vector<std::string> removed;
  // Warnings about data the cancel could not remove: an upload whose abort
  // failed, or Azure's uncommitted blocks. Each names the data and how to remove it.
  std::vector<std::string> warnings;
};

// Marks the export cancelled and removes its partial output. An export
// running in another process stops at its next checkpoint and removes its
// partial output (or aborts its upload) itself. For one that is not
// running, it is removed here. An upload whose abort fails (the provider
// rejects the request or cannot be reached) or that Azure keeps does not
// fail the cancel: it is reported in `warnings`. One the provider no longer
// has is not reported.
// Throws InvalidOption when the export is unknown or already completed. That
// includes an export whose upload the provider had already assembled into
// the object (see CloudUploadCompleted): it is then recorded as completed
// and the object is left in place.
CancelOutcome CancelExport(const std::string& state_dir, const std::string& export_id);

// True when a process with this id is alive on this machine.
bool ProcessAlive(int64_t pid);

}  // namespace sluice
