// JobStore: the record of every export in one SQLite database (WAL mode)
// under the state directory: its options, state, progress, committed parts
// and latest checkpoints. Several processes may open the same store; a
// `sluice cancel` in one is seen by an export running in another at its
// next checkpoint.
//
// The store never contains a credential: options are stored through
// OptionsToJson and checkpoints keep only public encryption parameters. It
// does keep a GCS upload's session URI, which grants write access to that
// one upload, so the database file is made readable by its owner only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/checkpoint.h"

struct sqlite3;

namespace sluice {

enum class ExportState { kQueued, kRunning, kCompleted, kFailed, kCancelled };

const char* ExportStateName(ExportState state);

struct ExportRecord {
  std::string id;
  ExportState state = ExportState::kQueued;
  std::string options_json;        // OptionsToJson
  std::string format;              // the resolved output format
  std::string source_fingerprint;  // see SourceFingerprint
  bool resumable = false;          // the source can report positions
  int64_t pid = 0;                 // process running the export, 0 when none
  uint64_t records = 0;
  std::optional<uint64_t> total_records;
  uint64_t bytes = 0;
  double percent = 0;
  std::string error;               // message of a failed export
  int64_t created_at = 0;          // seconds since the Unix epoch
  int64_t updated_at = 0;
};

// Life of an output part. A part is open while it is written. It is
// completing once its rows, size and digest are final and its temporary file
// is about to be renamed, and committed after the rename. The completing
// step lets a resume finish a rename that was interrupted.
enum class PartStatus { kOpen, kCompleting, kCommitted };

struct PartRecord {
  uint64_t part = 0;
  std::string path;                // final path of the part
  std::string temp_path;
  uint64_t rows = 0;
  uint64_t bytes = 0;
  std::string sha256;              // set once completing
  PartStatus status = PartStatus::kOpen;
};

class JobStore {
 public:
  // Opens or creates `directory`/jobs.db, creating the directory (mode 0700)
  // when missing. Throws IOError when it cannot.
  explicit JobStore(const std::string& directory);
  ~JobStore();
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // The state directory when none is given: $XDG_DATA_HOME/sluice, else
  // ~/.local/share/sluice.
  static std::string DefaultDirectory();

  const std::string& path() const { return path_; }

  // Inserts a new export, or replaces the record of an export with the same
  // id together with its checkpoints and parts.
  void create(const ExportRecord& record);
  // Inserts a new export unless the store already has one with its id, and
  // then returns that record and changes nothing.
  std::optional<ExportRecord> create_unless_exists(const ExportRecord& record);
  std::optional<ExportRecord> find(const std::string& id) const;
  std::vector<ExportRecord> list() const;

  void set_state(const std::string& id, ExportState state, const std::string& error = "");
  void set_running(const std::string& id, int64_t pid);
  void set_source_info(const std::string& id, const std::string& fingerprint, bool resumable);
  void update_progress(const std::string& id, uint64_t records, std::optional<uint64_t> total,
                       uint64_t bytes, double percent);
  bool cancel_requested(const std::string& id) const;

  // Appends a checkpoint. Keeps the part's start and its newest
  // kKeptCheckpoints checkpoints (kKeptUploadCheckpoints for a cloud upload,
  // whose parts in flight are not durable), and drops those of earlier parts.
  void add_checkpoint(const std::string& id, const Checkpoint& checkpoint);
  // Checkpoints of the export, oldest first.
  std::vector<Checkpoint> checkpoints(const std::string& id) const;

  // The newest upload state recorded with a checkpoint, if any.
  std::optional<CloudUploadState> upload_state(const std::string& id) const;
  // Records an upload's state outside a checkpoint, as soon as it starts.
  void record_upload_state(const std::string& id, const CloudUploadState& state);
  // Forgets the upload state, once the upload is finished or aborted.
  void clear_upload_state(const std::string& id);

  void record_part(const std::string& id, const PartRecord& part);
  // Records a completing part and, in the same transaction, the start of
  // the part after it (null when the source is exhausted).
  void complete_part(const std::string& id, const PartRecord& part, const Checkpoint* next_start);
  void mark_part_committed(const std::string& id, uint64_t part);
  std::vector<PartRecord> parts(const std::string& id) const;

  // Checkpoints kept per part besides its start: enough that an encrypted
  // part finds one at or before its last sealed segment.
  static constexpr int kKeptCheckpoints = 8;
  static constexpr int kKeptUploadCheckpoints = 512;

 private:
  void execute(const std::string& sql) const;
  void insert_checkpoint(const std::string& id, const Checkpoint& checkpoint);
  // Deletes the checkpoints, parts and upload of `record.id`, then inserts or
  // replaces its row. REQUIRES: inside a transaction.
  void insert_record(const ExportRecord& record);

  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace sluice
