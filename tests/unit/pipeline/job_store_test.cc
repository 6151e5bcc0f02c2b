// Tests of the job store: records, states, progress, checkpoints, parts,
// and that no secret reaches the database file.
#include "pipeline/job_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/options_json.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-job-store-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static ExportRecord Record(const std::string& id) {
    ExportRecord record;
    record.id = id;
    record.state = ExportState::kRunning;
    record.options_json = "{}";
    record.format = "csv";
    record.source_fingerprint = "{\"size\":10}";
    record.resumable = true;
    record.pid = 42;
    return record;
  }

  static Checkpoint At(uint64_t part, uint64_t chunk, bool part_start = false) {
    Checkpoint checkpoint;
    checkpoint.part = part;
    checkpoint.chunk = chunk;
    checkpoint.part_start = part_start;
    checkpoint.source_position = "row=" + std::to_string(chunk * 100);
    return checkpoint;
  }

  // Every byte of the database and its write-ahead log.
  std::string DatabaseBytes() const {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream file(dir_ / (std::string("jobs.db") + suffix), std::ios::binary);
      std::stringstream contents;
      contents << file.rdbuf();
      bytes += contents.str();
    }
    return bytes;
  }

  fs::path dir_;
};

TEST_F(JobStoreTest, CreatesDirectoryAndFindsRecord) {
  JobStore store(dir_ / "nested");
  store.create(Record("a1"));

  std::optional<ExportRecord> found = store.find("a1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, ExportState::kRunning);
  EXPECT_EQ(found->format, "csv");
  EXPECT_EQ(found->source_fingerprint, "{\"size\":10}");
  EXPECT_TRUE(found->resumable);
  EXPECT_EQ(found->pid, 42);
  EXPECT_FALSE(store.find("missing").has_value());
}

TEST_F(JobStoreTest, StateAndProgressUpdates) {
  JobStore store(dir_);
  store.create(Record("a1"));
  store.update_progress("a1", 500, 1000, 12345, 50.0);
  store.set_state("a1", ExportState::kFailed, "disk full");

  ExportRecord record = *store.find("a1");
  EXPECT_EQ(record.records, 500u);
  ASSERT_TRUE(record.total_records.has_value());
  EXPECT_EQ(*record.total_records, 1000u);
  EXPECT_EQ(record.bytes, 12345u);
  EXPECT_DOUBLE_EQ(record.percent, 50.0);
  EXPECT_EQ(record.state, ExportState::kFailed);
  EXPECT_EQ(record.error, "disk full");
  EXPECT_EQ(record.pid, 0);
}

TEST_F(JobStoreTest, CancelSeenByAnotherConnection) {
  JobStore exporter(dir_);
  JobStore canceller(dir_);
  exporter.create(Record("a1"));
  EXPECT_FALSE(exporter.cancel_requested("a1"));
  canceller.set_state("a1", ExportState::kCancelled);
  EXPECT_TRUE(exporter.cancel_requested("a1"));
}

TEST_F(JobStoreTest, ListsInCreationOrder) {
  JobStore store(dir_);
  store.create(Record("b"));
  store.create(Record("a"));
  std::vector<ExportRecord> records = store.list();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].id, "a");  // same second: ordered by id
  EXPECT_EQ(records[1].id, "b");
}

TEST_F(JobStoreTest, KeepsPartStartAndNewestCheckpoints) {
  JobStore store(dir_);
  store.create(Record("a1"));
  store.add_checkpoint("a1", At(1, 0, true));
  for (uint64_t chunk = 1; chunk <= 20; ++chunk) store.add_checkpoint("a1", At(1, chunk));

  std::vector<Checkpoint> kept = store.checkpoints("a1");
  ASSERT_EQ(kept.size(), 1u + JobStore::kKeptCheckpoints);
  EXPECT_TRUE(kept.front().part_start);
  EXPECT_EQ(kept[1].chunk, 20u - JobStore::kKeptCheckpoints + 1);
  EXPECT_EQ(kept.back().chunk, 20u);
  EXPECT_EQ(kept.back().source_position, "row=2000");
}

TEST_F(JobStoreTest, NextPartDropsEarlierCheckpoints) {
  JobStore store(dir_);
  store.create(Record("a1"));
  store.add_checkpoint("a1", At(1, 0, true));
  store.add_checkpoint("a1", At(1, 4));

  PartRecord part{1, "/out/x.part-00001.csv", "/out/.tmp", 100, 2000, std::string(64, 'a'),
                  PartStatus::kCompleting};
  Checkpoint next = At(2, 6, true);
  store.complete_part("a1", part, &next);
  std::vector<Checkpoint> kept = store.checkpoints("a1");
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].part, 2u);

  std::vector<PartRecord> parts = store.parts("a1");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].status, PartStatus::kCompleting);
  store.mark_part_committed("a1", 1);
  EXPECT_EQ(store.parts("a1")[0].status, PartStatus::kCommitted);
  EXPECT_EQ(store.parts("a1")[0].sha256, std::string(64, 'a'));
}

TEST_F(JobStoreTest, CreateReplacesCheckpointsAndParts) {
  JobStore store(dir_);
  store.create(Record("a1"));
  store.add_checkpoint("a1", At(1, 3));
  store.record_part("a1", PartRecord{1, "p", "t", 1, 1, "", PartStatus::kCommitted});
  store.create(Record("a1"));
  EXPECT_TRUE(store.checkpoints("a1").empty());
  EXPECT_TRUE(store.parts("a1").empty());
}

TEST_F(JobStoreTest, DatabaseHoldsNoPassword) {
  ExportOptions options;
  options.source = "postgresql://reader:pg-secret-9@localhost/shop?password=pg-param-secret&query=SELECT%201";
  options.destination = "/tmp/out.csv";
  options.encryption.mode = EncryptionMode::kSluice;
  options.encryption.password = "encryption-secret-7";

  JobStore store(dir_);
  ExportRecord record = Record("a1");
  record.options_json = OptionsToJson(options);
  store.create(record);
  Checkpoint checkpoint = At(1, 1);
  SluiceContainerState state;
  state.params.salt.fill(7);
  state.segments_sealed = 3;
  checkpoint.encryption = state;
  store.add_checkpoint("a1", checkpoint);

  std::string bytes = DatabaseBytes();
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("encryption-secret-7"), std::string::npos);
  EXPECT_EQ(bytes.find("pg-secret-9"), std::string::npos);
  EXPECT_EQ(bytes.find("pg-param-secret"), std::string::npos);
  EXPECT_NE(bytes.find("reader@localhost"), std::string::npos);
}

TEST_F(JobStoreTest, DefaultDirectoryFollowsXdg) {
  if (std::getenv("HOME") == nullptr) GTEST_SKIP() << "HOME is not set";
  const char* saved = std::getenv("XDG_DATA_HOME");
  std::string previous = saved != nullptr ? saved : "";
  setenv("XDG_DATA_HOME", "/var/tmp/data", 1);
  EXPECT_EQ(JobStore::DefaultDirectory(), "/var/tmp/data/sluice");
  unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(JobStore::DefaultDirectory(), std::string(std::getenv("HOME")) + "/.local/share/sluice");
  if (saved != nullptr) setenv("XDG_DATA_HOME", previous.c_str(), 1);
}

TEST_F(JobStoreTest, KeepsNewestUploadState) {
  JobStore store(dir_);
  store.create(Record("a1"));
  EXPECT_FALSE(store.upload_state("a1").has_value());

  Checkpoint first = At(1, 1);
  first.upload = CloudUploadState{"s3", "s3://b/k", "upload-1", 0, "", 0, {{1, 0, 100, "\"e1\""}}};
  store.add_checkpoint("a1", first);
  Checkpoint second = At(1, 2);
  second.upload = first.upload;
  second.upload->parts.push_back({2, 100, 100, "\"e2\""});
  store.add_checkpoint("a1", second);
  store.add_checkpoint("a1", At(1, 3));  // without upload state: the recorded one stays

  std::optional<CloudUploadState> upload = store.upload_state("a1");
  ASSERT_TRUE(upload.has_value());
  EXPECT_EQ(upload->upload_id, "upload-1");
  EXPECT_EQ(upload->parts.size(), 2u);
  EXPECT_FALSE(store.checkpoints("a1").back().upload.has_value());

  store.clear_upload_state("a1");
  EXPECT_FALSE(store.upload_state("a1").has_value());
  store.add_checkpoint("a1", second);
  store.create(Record("a1"));
  EXPECT_FALSE(store.upload_state("a1").has_value());
}

TEST_F(JobStoreTest, DatabaseIsPrivate) {
  fs::create_directories(dir_);
  { std::ofstream(dir_ / "jobs.db"); }
  fs::permissions(dir_ / "jobs.db", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                                        fs::perms::others_read);
  JobStore store(dir_);
  fs::perms mode = fs::status(dir_ / "jobs.db").permissions();
  EXPECT_EQ(mode & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  EXPECT_NE(mode & fs::perms::owner_read, fs::perms::none);
}

TEST_F(JobStoreTest, CreateUnlessExistsKeepsExisting) {
  JobStore store(dir_.string());
  EXPECT_FALSE(store.create_unless_exists(Record("a1")).has_value());
  store.set_state("a1", ExportState::kCompleted);

  ExportRecord other = Record("a1");
  other.format = "json";
  std::optional<ExportRecord> existing = store.create_unless_exists(other);

  ASSERT_TRUE(existing.has_value());
  EXPECT_EQ(existing->state, ExportState::kCompleted);
  EXPECT_EQ(store.find("a1")->format, "csv");
  EXPECT_EQ(store.find("a1")->state, ExportState::kCompleted);
}

}  // namespace
}  // namespace sluice
