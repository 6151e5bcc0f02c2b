#include "pipeline/job_store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/error.h"

namespace sluice {

namespace {

constexpr int kBusyTimeoutMilliseconds = 10000;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS exports (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  options TEXT NOT NULL,
  format TEXT NOT NULL,
  source_fingerprint TEXT NOT NULL,
  resumable INTEGER NOT NULL,
  pid INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  total_records INTEGER,
  bytes INTEGER NOT NULL DEFAULT 0,
  percent REAL NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
  export_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  part INTEGER NOT NULL,
  part_start INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (export_id, sequence));
CREATE TABLE IF NOT EXISTS parts (
  export_id TEXT NOT NULL,
  part INTEGER NOT NULL,
  path TEXT NOT NULL,
  temp_path TEXT NOT NULL,
  rows INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  status INTEGER NOT NULL,
  PRIMARY KEY (export_id, part));
CREATE TABLE IF NOT EXISTS uploads (
  export_id TEXT PRIMARY KEY,
  data TEXT NOT NULL) WITHOUT ROWID;
)sql";

const char* kStateNames[] = {"queued", "running", "completed", "failed", "cancelled"};

ExportState StateFromName(const std::string& name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kStateNames[i]) return static_cast<ExportState>(i);
  }
  return ExportState::kFailed;
}

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

// A prepared statement that binds by position and finalizes itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr) != SQLITE_OK) {
      throw IOError(std::string("job store query failed: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(statement_); }

  Statement& bind(const std::string& text) {
    sqlite3_bind_text(statement_, ++index_, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int64_t value) {
    sqlite3_bind_int64(statement_, ++index_, value);
    return *this;
  }
  Statement& bind(uint64_t value) { return bind(static_cast<int64_t>(value)); }
  Statement& bind(double value) {
    sqlite3_bind_double(statement_, ++index_, value);
    return *this;
  }
  Statement& bind_null() {
    sqlite3_bind_null(statement_, ++index_);
    return *this;
  }

  // Returns true while there is a row.
  bool step() {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw IOError(std::string("job store query failed: ") + sqlite3_errmsg(db_) +
                  "; check that the state directory is writable and not full");
  }

  std::string text(int column) const {
    const unsigned char* value = sqlite3_column_text(statement_, column);
    return value == nullptr ? "" : reinterpret_cast<const char*>(value);
  }
  int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
  double real(int column) const { return sqlite3_column_double(statement_, column); }
  bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_ = nullptr;
  int index_ = 0;
};

constexpr const char* kSelectExport =
    "SELECT id, state, options, format, source_fingerprint, resumable, pid, records, total_records, "
    "bytes, percent, error, created_at, updated_at FROM exports";

ExportRecord ReadExport(const Statement& row) {
  ExportRecord record;
  record.id = row.text(0);
  record.state = StateFromName(row.text(1));
  record.options_json = row.text(2);
  record.format = row.text(3);
  record.source_fingerprint = row.text(4);
  record.resumable = row.integer(5) != 0;
  record.pid = row.integer(6);
  record.records = static_cast<uint64_t>(row.integer(7));
  if (!row.is_null(8)) record.total_records = static_cast<uint64_t>(row.integer(8));
  record.bytes = static_cast<uint64_t>(row.integer(9));
  record.percent = row.real(10);
  record.error = row.text(11);
  record.created_at = row.integer(12);
  record.updated_at = row.integer(13);
  return record;
}

void MakeDirectories(const std::string& directory) {
  for (size_t slash = directory.find('/', 1);; slash = directory.find('/', slash + 1)) {
    std::string prefix = directory.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      throw IOError("cannot create the state directory " + directory + ": " + std::strerror(errno) +
                    "; choose another with --state-dir or SLUICE_STATE_DIR");
    }
    if (slash == std::string::npos) break;
  }
}

// Removes group and other access from the database and its WAL files: the
// store may hold a GCS session URI, which grants write access by itself.
void RestrictToOwner(const std::string& database) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string path = database + suffix;
    struct stat info;
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      if (::chmod(path.c_str(), info.st_mode & 0700) != 0) {
        throw IOError("cannot make the job store " + path + " private: " + std::strerror(errno) +
                      "; run chmod 600 on it");
      }
    }
  }
}

}  // namespace

const char* ExportStateName(ExportState state) { return kStateNames[static_cast<int>(state)]; }

std::string JobStore::DefaultDirectory() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home != nullptr && *data_home == '/') return std::string(data_home) + "/sluice";
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    throw InvalidOption("cannot find the state directory: HOME is not set; pass --state-dir or set SLUICE_STATE_DIR");
  }
  return std::string(home) + "/.local/share/sluice";
}

JobStore::JobStore(const std::string& directory) : path_(directory + "/jobs.db") {
  MakeDirectories(directory);
  int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw IOError("cannot open the job store " + path_ + ": " + message +
                  "; choose another state directory with --state-dir or SLUICE_STATE_DIR");
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMilliseconds);
  try {
    RestrictToOwner(path_);
    execute("PRAGMA journal_mode=WAL");
    // NORMAL in WAL mode survives a process crash; a checkpoint lost to a
    // power cut only makes a resume start from an earlier one.
    execute("PRAGMA synchronous=NORMAL");
    execute(kSchema);
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

JobStore::~JobStore() { sqlite3_close_v2(db_); }

void JobStore::execute(const std::string& sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw IOError("job store " + path_ + " failed: " + text +
                  "; check that the state directory is writable and not full");
  }
}

void JobStore::create(const ExportRecord& record) {
  execute("BEGIN IMMEDIATE");
  try {
    insert_record(record);
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<ExportRecord> JobStore::create_unless_exists(const ExportRecord& record) {
  // BEGIN IMMEDIATE takes the write lock before the lookup, so two processes
  // that start the same id at once cannot both insert it.
  execute("BEGIN IMMEDIATE");
  try {
    std::optional<ExportRecord> existing = find(record.id);
    if (!existing) insert_record(record);
    execute(existing ? "ROLLBACK" : "COMMIT");
    return existing;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void JobStore::insert_record(const ExportRecord& record) {
  for (const char* table : {"checkpoints", "parts", "uploads"}) {
    Statement(db_, (std::string("DELETE FROM ") + table + " WHERE export_id = ?").c_str()).bind(record.id).step();
  }
  Statement insert(db_,
                   "INSERT OR REPLACE INTO exports (id, state, options, format, source_fingerprint, resumable, "
                   "pid, records, total_records, bytes, percent, error, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, 0, 0, '', ?, ?)");
  int64_t now = Now();
  insert.bind(record.id).bind(std::string(ExportStateName(record.state))).bind(record.options_json)
      .bind(record.format).bind(record.source_fingerprint).bind(int64_t{record.resumable ? 1 : 0})
      .bind(record.pid).bind(now).bind(now);
  insert.step();
}

std::optional<ExportRecord> JobStore::find(const std::string& id) const {
  Statement select(db_, (std::string(kSelectExport) + " WHERE id = ?").c_str());
  select.bind(id);
  if (!select.step()) return std::nullopt;
  return ReadExport(select);
}

std::vector<ExportRecord> JobStore::list() const {
  Statement select(db_, (std::string(kSelectExport) + " ORDER BY created_at, id").c_str());
  std::vector<ExportRecord> records;
  while (select.step()) records.push_back(ReadExport(select));
  return records;
}

void JobStore::set_state(const std::string& id, ExportState state, const std::string& error) {
  Statement update(db_, "UPDATE exports SET state = ?, error = ?, pid = 0, updated_at = ? WHERE id = ?");
  update.bind(std::string(ExportStateName(state))).bind(error).bind(Now()).bind(id).step();
}

void JobStore::set_running(const std::string& id, int64_t pid) {
  Statement update(db_, "UPDATE exports SET state = 'running', error = '', pid = ?, updated_at = ? WHERE id = ?");
  update.bind(pid).bind(Now()).bind(id).step();
}

void JobStore::set_source_info(const std::string& id, const std::string& fingerprint, bool resumable) {
  Statement update(db_, "UPDATE exports SET source_fingerprint = ?, resumable = ?, updated_at = ? WHERE id = ?");
  update.bind(fingerprint).bind(int64_t{resumable ? 1 : 0}).bind(Now()).bind(id).step();
}

void JobStore::update_progress(const std::string& id, uint64_t records, std::optional<uint64_t> total,
                               uint64_t bytes, double percent) {
  Statement update(db_,
                   "UPDATE exports SET records = ?, total_records = ?, bytes = ?, percent = ?, updated_at = ? "
                   "WHERE id = ?");
  update.bind(records);
  if (total) {
    update.bind(*total);
  } else {
    update.bind_null();
  }
  update.bind(bytes).bind(percent).bind(Now()).bind(id).step();
}

bool JobStore::cancel_requested(const std::string& id) const {
  Statement select(db_, "SELECT state FROM exports WHERE id = ?");
  select.bind(id);
  return select.step() && select.text(0) == "cancelled";
}

void JobStore::add_checkpoint(const std::string& id, const Checkpoint& checkpoint) {
  execute("BEGIN IMMEDIATE");
  try {
    insert_checkpoint(id, checkpoint);
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void JobStore::insert_checkpoint(const std::string& id, const Checkpoint& checkpoint) {
  Statement insert(db_,
                   "INSERT INTO checkpoints (export_id, sequence, part, part_start, data) VALUES "
                   "(?, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM checkpoints WHERE export_id = ?), ?, ?, ?)");
  insert.bind(id).bind(id).bind(checkpoint.part).bind(int64_t{checkpoint.part_start ? 1 : 0})
      .bind(CheckpointToJson(checkpoint));
  insert.step();

  Statement earlier_parts(db_, "DELETE FROM checkpoints WHERE export_id = ? AND part < ?");
  earlier_parts.bind(id).bind(checkpoint.part).step();
  Statement older(db_,
                  "DELETE FROM checkpoints WHERE export_id = ? AND part_start = 0 AND sequence NOT IN "
                  "(SELECT sequence FROM checkpoints WHERE export_id = ? AND part_start = 0 "
                  "ORDER BY sequence DESC LIMIT ?)");
  // Parts still uploading are not durable, so the checkpoint a cloud resume
  // continues from may be many checkpoints back (up to part size x parts in
  // flight of output).
  int64_t keep_count = checkpoint.upload ? kKeptUploadCheckpoints : kKeptCheckpoints;
  older.bind(id).bind(id).bind(keep_count).step();

  if (checkpoint.upload) {
    Statement upload(db_, "INSERT OR REPLACE INTO uploads (export_id, data) VALUES (?, ?)");
    upload.bind(id).bind(UploadStateToJson(*checkpoint.upload)).step();
  }
}

std::optional<CloudUploadState> JobStore::upload_state(const std::string& id) const {
  Statement select(db_, "SELECT data FROM uploads WHERE export_id = ?");
  select.bind(id);
  if (!select.step()) return std::nullopt;
  return UploadStateFromJson(select.text(0));
}

void JobStore::record_upload_state(const std::string& id, const CloudUploadState& state) {
  Statement upload(db_, "INSERT OR REPLACE INTO uploads (export_id, data) VALUES (?, ?)");
  upload.bind(id).bind(UploadStateToJson(state)).step();
}

void JobStore::clear_upload_state(const std::string& id) {
  Statement(db_, "DELETE FROM uploads WHERE export_id = ?").bind(id).step();
}

std::vector<Checkpoint> JobStore::checkpoints(const std::string& id) const {
  Statement select(db_, "SELECT data FROM checkpoints WHERE export_id = ? ORDER BY sequence");
  select.bind(id);
  std::vector<Checkpoint> checkpoints;
  while (select.step()) checkpoints.push_back(CheckpointFromJson(select.text(0)));
  return checkpoints;
}

void JobStore::record_part(const std::string& id, const PartRecord& part) {
  Statement insert(db_,
                   "INSERT OR REPLACE INTO parts (export_id, part, path, temp_path, rows, bytes, sha256, status) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(id).bind(part.part).bind(part.path).bind(part.temp_path).bind(part.rows).bind(part.bytes)
      .bind(part.sha256).bind(static_cast<int64_t>(part.status));
  insert.step();
}

void JobStore::complete_part(const std::string& id, const PartRecord& part, const Checkpoint* next_start) {
  execute("BEGIN IMMEDIATE");
  try {
    record_part(id, part);
    if (next_start != nullptr) insert_checkpoint(id, *next_start);
    execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void JobStore::mark_part_committed(const std::string& id, uint64_t part) {
  Statement update(db_, "UPDATE parts SET status = ? WHERE export_id = ? AND part = ?");
  update.bind(static_cast<int64_t>(PartStatus::kCommitted)).bind(id).bind(part).step();
}

std::vector<PartRecord> JobStore::parts(const std::string& id) const {
  Statement select(db_,
                   "SELECT part, path, temp_path, rows, bytes, sha256, status FROM parts "
                   "WHERE export_id = ? ORDER BY part");
  select.bind(id);
  std::vector<PartRecord> parts;
  while (select.step()) {
    PartRecord part;
    part.part = static_cast<uint64_t>(select.integer(0));
    part.path = select.text(1);
    part.temp_path = select.text(2);
    part.rows = static_cast<uint64_t>(select.integer(3));
    part.bytes = static_cast<uint64_t>(select.integer(4));
    part.sha256 = select.text(5);
    part.status = static_cast<PartStatus>(select.integer(6));
    parts.push_back(part);
  }
  return parts;
}

}  // namespace sluice
