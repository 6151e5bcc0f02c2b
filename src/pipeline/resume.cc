#include "pipeline/resume.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <set>
#include <thread>

#include "core/error.h"
#include "pipeline/export_runner.h"
#include "pipeline/job_store.h"
#include "pipeline/manifest.h"
#include "pipeline/options_json.h"
#include "pipeline/resume_password.h"
#include "pipeline/source_fingerprint.h"
#include "pipeline/upload_abort.h"
#include "pipeline/upload_resume.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/cloud_sink_factory.h"
#include "sources/source_factory.h"
#include "transforms/encryption/sluice_container_format.h"

namespace sluice {

namespace {

std::optional<uint64_t> FileSize(const std::string& path) {
  struct stat info;
  if (path.empty() || ::stat(path.c_str(), &info) != 0) return std::nullopt;
  return static_cast<uint64_t>(info.st_size);
}

ExportRecord LoadRecord(const JobStore& store, const std::string& id) {
  std::optional<ExportRecord> record = store.find(id);
  if (!record) {
    throw InvalidOption("no export with id '" + id + "' in the job store " + store.path() +
                        "; list the exports with sluice exports");
  }
  return *record;
}

void RequireResumable(const ExportRecord& record) {
  if (record.state == ExportState::kCompleted) {
    throw InvalidOption("export " + record.id + " already completed; there is nothing to resume");
  }
  if (record.state == ExportState::kCancelled) {
    throw InvalidOption("export " + record.id + " was cancelled and its output removed; start a new export");
  }
  if (record.state == ExportState::kRunning && record.pid != 0 && record.pid != ::getpid() &&
      ProcessAlive(record.pid)) {
    throw InvalidOption("export " + record.id + " is still running in process " + std::to_string(record.pid) +
                        "; wait for it, or stop it with sluice cancel " + record.id);
  }
}

// Finishes renames that an interruption cut short and returns the committed
// parts in order, or nullopt when one of them is missing or damaged. A cloud
// part is recorded only once its object exists, and is not checked again.
std::optional<std::vector<OutputFile>> SettleParts(JobStore& store, const std::string& id) {
  std::vector<OutputFile> committed;
  for (const PartRecord& part : store.parts(id)) {
    bool object = IsCloudDestination(part.path);
    if (object && part.status != PartStatus::kOpen) {
      if (part.status == PartStatus::kCompleting) store.mark_part_committed(id, part.part);
    } else if (part.status == PartStatus::kCompleting) {
      if (FileSize(part.temp_path) == part.bytes) {
        if (std::rename(part.temp_path.c_str(), part.path.c_str()) != 0) {
          throw IOError("cannot rename " + part.temp_path + " to " + part.path + " while resuming export " + id);
        }
      } else if (FileSize(part.path) != part.bytes) {
        return std::nullopt;
      }
      store.mark_part_committed(id, part.part);
    } else if (part.status == PartStatus::kCommitted && FileSize(part.path) != part.bytes) {
      return std::nullopt;
    } else if (part.status == PartStatus::kOpen) {
      break;
    }
    if (part.part != committed.size() + 1) return std::nullopt;
    committed.push_back(OutputFile{part.path, part.rows, part.bytes, part.sha256});
  }
  return committed;
}

void RemoveFiles(const std::set<std::string>& paths) {
  for (const std::string& path : paths) {
    if (!path.empty()) std::remove(path.c_str());
  }
}

std::set<std::string> PartialFiles(const JobStore& store, const std::string& id, bool with_committed) {
  std::set<std::string> paths;
  for (const Checkpoint& checkpoint : store.checkpoints(id)) paths.insert(checkpoint.temp_path);
  for (const PartRecord& part : store.parts(id)) {
    paths.insert(part.temp_path);
    if (with_committed) paths.insert(part.path);
  }
  paths.erase("");
  return paths;
}

// Publishes an export whose parts were all committed before it was
// interrupted: the single part under the destination's name, or the manifest.
// A cloud export's only part already has its final key; it needs a manifest
// only when it was named as a part (see split_output.h).
ExportResult Finalize(const ExportOptions& options, const std::string& format, std::vector<OutputFile> parts,
                      JobStore& store) {
  bool cloud = IsCloudDestination(options.destination);
  if (parts.size() == 1 && !cloud) {
    if (std::rename(parts[0].path.c_str(), options.destination.c_str()) != 0) {
      throw IOError("cannot rename " + parts[0].path + " to " + options.destination);
    }
    parts[0].path = options.destination;
  }
  ExportResult result;
  result.export_id = options.export_id;
  if (parts.size() > 1 || parts[0].path != options.destination) {
    result.manifest_path = ManifestPath(options.destination);
    if (cloud) {
      UploadManifest(result.manifest_path, options.export_id, format, parts, options);
    } else {
      WriteManifest(result.manifest_path, options.export_id, format, parts);
    }
  }
  for (const OutputFile& part : parts) {
    result.records_exported += part.rows;
    result.bytes_written += part.bytes;
  }
  result.files = parts;
  store.update_progress(options.export_id, result.records_exported, result.records_exported,
                        result.bytes_written, 100);
  store.set_state(options.export_id, ExportState::kCompleted);
  return result;
}

// Picks the checkpoints to continue the part from. Returns false when the
// part must restart from its beginning.
bool PlanPart(const std::vector<Checkpoint>& in_part, SplitResume& output) {
  const Checkpoint* target = nullptr;
  for (const Checkpoint& checkpoint : in_part) {
    if (checkpoint.part_start) continue;
    std::optional<uint64_t> size = FileSize(checkpoint.temp_path);
    if (size && *size >= checkpoint.output_offset) target = &checkpoint;
  }
  if (target == nullptr) return false;

  ChainResume chain;
  chain.temp_path = target->temp_path;
  chain.output_offset = target->output_offset;
  if (!target->encryption) {
    chain.stream_offset = target->stream_offset;
    output.replay = *target;
    output.chain = chain;
    return true;
  }

  // Only sealed segments are in the file.
  return PlanSealedReplay(in_part, *target, chain, output);
}

// Aborts the export's recorded upload, if any, deletes its state and
// returns what became of the upload (see AbortUnfinishedUpload). An upload
// left behind costs storage until the provider expires it, not
// correctness, because a new upload replaces it.
// REQUIRES: the provider has not assembled the object (see CloudUploadCompleted),
// because an abort then removes nothing although the upload is listed.
UploadAbortReport AbortRecordedUpload(JobStore& store, const std::string& id, const ExportOptions& options) {
  std::optional<CloudUploadState> upload = store.upload_state(id);
  if (!upload || !upload->started()) return {};
  UploadAbortReport report = AbortUnfinishedUpload(*upload, options);
  store.clear_upload_state(id);
  return report;
}

// Records the export as completed once the provider has assembled the object
// of `upload`. Only a state recorded as completing carries the object's final
// row and byte counts, so progress is left as it is for any other.
void RecordUploadCompleted(JobStore& store, const std::string& id, const CloudUploadState& upload) {
  if (upload.completing) {
    store.update_progress(id, upload.object_rows, upload.object_rows, upload.object_bytes, 100);
  }
  store.set_state(id, ExportState::kCompleted);
  store.clear_upload_state(id);
}

// Finishes an upload whose export was killed after it recorded the upload
// as completing. Every part is on the provider then, so nothing is
// regenerated: the completing request is checked or sent again.
ExportResult FinishCompletingUpload(const ExportOptions& options, const CloudUploadState& upload, JobStore& store) {
  FinishCloudUpload(upload, options);
  ExportResult result;
  result.export_id = options.export_id;
  result.records_exported = upload.object_rows;
  result.bytes_written = upload.object_bytes;
  result.files = {OutputFile{options.destination, upload.object_rows, upload.object_bytes, ""}};
  RecordUploadCompleted(store, options.export_id, upload);
  return result;
}

// The export's upload state when it was recorded as completing the
// destination object itself, which is then the export's only object. A
// completing part of a split export is left to the part's own resume.
std::optional<CloudUploadState> CompletingUpload(const JobStore& store, const std::string& id,
                                                 const ExportOptions& options) {
  if (!IsCloudDestination(options.destination)) return std::nullopt;
  std::optional<CloudUploadState> upload = store.upload_state(id);
  if (!upload || !upload->completing || upload->object != options.destination) return std::nullopt;
  return upload;
}

// Throws InvalidOption when the provider has already assembled the object of
// the export's upload, which happens when a kill lands after S3
// CompleteMultipartUpload, Azure Put Block List or the final GCS chunk took
// effect. The export is then recorded as completed and the object is left in
// place. An upload whose state cannot be queried counts as unfinished.
// NOTE: on S3 servers without multipart ETags the check also passes for an
// object of the same size that another writer stored meanwhile (see
// S3Sink::object_is_assembled), and the upload is then not aborted.
void RejectCompletedUpload(JobStore& store, const std::string& id, const ExportOptions& options) {
  if (!IsCloudDestination(options.destination)) return;
  std::optional<CloudUploadState> upload = store.upload_state(id);
  if (!upload) return;
  bool completed = false;
  try {
    completed = CloudUploadCompleted(*upload, options);
  } catch (const Error&) {
    return;
  }
  if (!completed) return;
  RecordUploadCompleted(store, id, *upload);
  throw InvalidOption("export " + id + " already completed: its upload had created " + upload->object +
                      " before it was cancelled, so the object was left in place; delete the object if it is "
                      "not wanted");
}

// The recorded upload state if it belongs to 1-based part `part` of the
// export, else an unstarted state for that part. A state of an earlier part
// describes a finished upload.
CloudUploadState PartUpload(const JobStore& store, const std::string& id, const ExportOptions& options,
                            uint64_t part) {
  std::optional<CloudUploadState> upload = store.upload_state(id);
  std::string part_object = PartPath(options.destination, part);
  std::string first_object = part == 1 ? options.destination : part_object;
  if (upload && (upload->object == first_object || upload->object == part_object)) return *upload;
  CloudUploadState unstarted;
  unstarted.object = first_object;
  return unstarted;
}

std::string DescribeUpload(const Checkpoint& checkpoint, const ChainResume& chain, uint64_t stored_bytes) {
  std::string from = "from chunk " + std::to_string(checkpoint.chunk) + " (row " + std::to_string(checkpoint.records) + ")";
  // Only a split export has parts after the first.
  if (checkpoint.part > 1) from += " of part " + std::to_string(checkpoint.part);
  if (stored_bytes == MultipartSink::kUploadFinished) {
    return from + ", sending nothing, because the provider has already assembled the object";
  }
  return from + ", regenerating the object from byte " + std::to_string(chain.output_offset) + " and keeping the " +
         std::to_string(stored_bytes) + " bytes the provider has stored";
}

std::string Describe(const Checkpoint& checkpoint, const ChainResume& chain) {
  return "from chunk " + std::to_string(checkpoint.chunk) + " (row " + std::to_string(checkpoint.records) +
         ") of part " + std::to_string(checkpoint.part) + ", keeping " + std::to_string(chain.output_offset) +
         " bytes of its file";
}

}  // namespace

bool ProcessAlive(int64_t pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool ResumeNeedsPassword(const std::string& state_dir, const std::string& export_id) {
  JobStore store(state_dir);
  ExportRecord record = LoadRecord(store, export_id);
  // ResumeExport rejects these before it reads anything, so no prompt comes
  // before that error.
  if (record.state == ExportState::kCompleted || record.state == ExportState::kCancelled) return false;
  ExportOptions options = OptionsFromJson(record.options_json);
  // Finishing a completing upload regenerates nothing.
  if (CompletingUpload(store, export_id, options)) return false;
  return (options.encryption.mode == EncryptionMode::kSluice) ||
         (options.encryption.mode == EncryptionMode::kAge && options.encryption.recipients.empty());
}

ResumeOutcome ResumeExport(const ResumeRequest& request, const ProgressCallback& on_progress,
                           const CancellationToken* cancel,
                           const std::function<void(const std::string&)>& on_start) {
  JobStore store(request.state_dir);
  ExportRecord record = LoadRecord(store, request.export_id);
  RequireResumable(record);

  ExportOptions options = OptionsFromJson(record.options_json);
  options.export_id = record.id;
  options.encryption.password = request.password;
  options.state_dir = request.state_dir;
  options.allow_changed_source = request.allow_changed_source;
  std::string format = ValidateExportOptions(options);
  // Finishing a completing upload needs no password (see ResumeNeedsPassword).
  bool password_encrypted = options.encryption.mode == EncryptionMode::kSluice ||
                            (options.encryption.mode == EncryptionMode::kAge && options.encryption.recipients.empty());
  if (password_encrypted && !options.encryption.password.empty()) {
    std::optional<CloudUploadState> upload = store.upload_state(record.id);
    CheckRecordedPassword(options.encryption.password, upload ? upload->head : std::string(),
                          PartialFiles(store, record.id, /*with_committed=*/true), options.destination);
  }

  if (std::optional<CloudUploadState> completing = CompletingUpload(store, record.id, options)) {
    std::string from = "after its last part: completing the upload";
    if (on_start) on_start(from);
    return ResumeOutcome{FinishCompletingUpload(options, *completing, store), from};
  }

  // Made before the source, so the reader's buffers count from the first
  // byte read, and destroyed after it.
  std::unique_ptr<MemoryGovernor> memory = NewExportMemoryGovernor(options);
  std::unique_ptr<Source> source = OpenSource(options, memory.get());
  std::string change = DescribeSourceChange(record.source_fingerprint, SourceFingerprint(options, *source));
  if (!change.empty() && !request.allow_changed_source) {
    throw InvalidInput("cannot resume export " + record.id + ": its source " + SourceWithoutPassword(options.source) +
                       " changed since the export started (" + change +
                       "); start a new export, or pass --allow-changed-source to continue anyway");
  }

  std::string restart_reason;
  std::optional<std::vector<OutputFile>> committed;
  std::vector<Checkpoint> in_part;
  if (!record.resumable) {
    restart_reason = "this source or destination cannot be continued from a checkpoint";
  } else {
    committed = SettleParts(store, record.id);
    if (!committed) restart_reason = "a part it had committed is missing or has changed";
  }
  if (restart_reason.empty()) {
    for (const Checkpoint& checkpoint : store.checkpoints(record.id)) {
      if (checkpoint.part == committed->size() + 1) in_part.push_back(checkpoint);
    }
    if (in_part.empty() && !committed->empty()) {
      if (on_start) on_start("after its last part: publishing the output");
      return ResumeOutcome{Finalize(options, format, *committed, store), "after its last part"};
    }
    if (in_part.empty() || !in_part.front().part_start) restart_reason = "no checkpoint was recorded";
  }

  bool cloud = IsCloudDestination(options.destination);
  SplitResume output;
  std::string from;
  if (cloud && restart_reason.empty()) {
    CloudUploadState upload = PartUpload(store, record.id, options, committed->size() + 1);
    uint64_t stored_bytes = CloudStoredBytes(upload, options);
    bool encrypted = options.encryption.mode != EncryptionMode::kNone;
    if (PlanUploadResume(in_part, upload, stored_bytes, encrypted, output)) {
      from = DescribeUpload(output.replay, *output.chain, stored_bytes);
    } else {
      restart_reason = "the encrypted upload has no checkpoint within the bytes the provider holds";
    }
  }

  if (!restart_reason.empty()) {
    RemoveFiles(PartialFiles(store, record.id, /*with_committed=*/true));
    if (cloud) AbortRecordedUpload(store, record.id, options);
    std::string from = "from the beginning, because " + restart_reason;
    if (on_start) on_start(from);
    source.reset();
    return ResumeOutcome{RestartExport(options, on_progress, cancel), from};
  }

  output.committed = *committed;
  if (!cloud) {
    output.replay = in_part.front();
    if (PlanPart(in_part, output)) {
      from = Describe(output.replay, *output.chain);
    } else {
      from = "from the start of part " + std::to_string(in_part.front().part) +
             (format == "xlsx" ? ", because an XLSX file cannot be continued mid-file"
                               : ", because no durable checkpoint of it was found");
    }
  }
  // Temporary files of this part that the plan does not continue.
  std::set<std::string> stale = PartialFiles(store, record.id, /*with_committed=*/false);
  if (output.chain) stale.erase(output.chain->temp_path);
  RemoveFiles(stale);

  RunStart start;
  start.source_position = output.replay.source_position;
  start.skip_rows = output.replay.skip_rows;
  start.chunk = output.replay.chunk;
  start.records = output.replay.records;
  start.output = &output;
  store.set_running(record.id, ::getpid());
  if (on_start) on_start(from);
  RunRecord run_record{&store, true};
  ExportResult result = RunPipeline(options, format, *source, start, run_record, on_progress, cancel, memory.get());
  if (cloud) store.clear_upload_state(record.id);
  return ResumeOutcome{result, from};
}

CancelOutcome CancelExport(const std::string& state_dir, const std::string& export_id) {
  JobStore store(state_dir);
  ExportRecord record = LoadRecord(store, export_id);
  if (record.state == ExportState::kCompleted) {
    throw InvalidOption("export " + export_id + " already completed; delete its output files instead");
  }
  store.set_state(export_id, ExportState::kCancelled, "cancelled");

  if (record.state == ExportState::kRunning && record.pid != ::getpid() && ProcessAlive(record.pid)) {
    // The export checks the store at its next checkpoint, then stops and
    // removes its own output. Wait up to 30 seconds for that.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ProcessAlive(record.pid) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (ProcessAlive(record.pid)) return {};
  }

  ExportOptions options = OptionsFromJson(record.options_json);
  RejectCompletedUpload(store, export_id, options);

  std::set<std::string> paths = PartialFiles(store, export_id, /*with_committed=*/true);
  CancelOutcome outcome;
  for (const std::string& path : paths) {
    if (FileSize(path) && std::remove(path.c_str()) == 0) outcome.removed.push_back(path);
  }

  UploadAbortReport upload = AbortRecordedUpload(store, export_id, options);
  if (!upload.removed.empty()) outcome.removed.push_back(upload.removed);
  if (!upload.warning.empty()) outcome.warnings.push_back(upload.warning);
  return outcome;
}

}  // namespace sluice
