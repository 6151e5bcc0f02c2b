// ResumeExport through the library: an export that fails part-way with an
// I/O error (a file size limit) or dies (SIGKILL in a forked child) keeps
// its partial file and checkpoints, and a resume finishes it byte-identical
// to an export that never failed.
#include "pipeline/resume.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pipeline/job_store.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-resume-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    WriteInput(/*broken=*/false);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // NDJSON rows; with `broken`, row 29000 of 30000 is not valid JSON, so an
  // export fails on invalid data after many checkpoints.
  void WriteInput(bool broken) {
    std::ofstream file(dir_ / "in.ndjson", std::ios::binary);
    for (int i = 0; i < 30000; ++i) {
      file << "{\"id\":" << i << ",\"name\":\"row-" << i << "\",\"v\":" << i % 7 << "}"
           << (broken && i == 29000 ? "{" : " ") << "\n";
    }
  }

  ExportOptions Options(const std::string& destination) const {
    ExportOptions options;
    options.source = (dir_ / "in.ndjson").string();
    options.destination = (dir_ / destination).string();
    options.chunk_bytes = 8 * kKiB;
    options.checkpoint_bytes = 64 * kKiB;
    options.state_dir = (dir_ / "state").string();
    options.export_id = "e1";
    // An explicit schema, so inference does not read a broken row while opening.
    options.csv_read.schema = "id:int64,name:string,v:int64";
    return options;
  }

  // Runs `options` with every file this process writes limited to `limit`
  // bytes, so the export fails with an I/O error (EFBIG) part-way.
  void RunUntilFileLimit(const ExportOptions& options, rlim_t limit = 300 * 1024) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit saved;
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    struct rlimit limited = saved;
    limited.rlim_cur = limit;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    try {
      RunExport(options);
      ADD_FAILURE() << "the export passed the file size limit";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kIO) << error.what();
    }
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
    // With a small limit the job store's own write of the failed state can
    // fail too; the record then still reads running, which resume accepts.
    EXPECT_NE(JobStore(options.state_dir).find("e1")->state, ExportState::kCompleted);
  }

  // Runs `options` in a forked child that kills itself with SIGKILL once it
  // reports more than `bytes` written. Returns false when the export ended first.
  bool RunUntilKilled(const ExportOptions& options, uint64_t bytes) {
    pid_t child = ::fork();
    if (child == 0) {
      try {
        RunExport(options, [bytes](const ExportProgress& progress) {
          if (progress.bytes_written > bytes) ::raise(SIGKILL);
        });
      } catch (...) {
        ::_exit(1);
      }
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }

  // The reference: the same options on the fixed input, without a store.
  std::string Reference(ExportOptions options, const std::string& name) {
    options.destination = (dir_ / name).string();
    options.state_dir.clear();
    options.export_id = "e1";
    RunExport(options);
    return Read(options.destination);
  }

  std::vector<std::string> HiddenFiles() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      std::string name = entry.path().filename();
      if (name.find(".sluice-tmp-") != std::string::npos) names.push_back(name);
    }
    return names;
  }

  static std::string Read(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
  }

  ResumeRequest Request(const ExportOptions& options) const {
    ResumeRequest request;
    request.export_id = "e1";
    request.state_dir = options.state_dir;
    request.password = options.encryption.password;
    return request;
  }

  fs::path dir_;
};

TEST_F(ResumeTest, IoFailureKeepsPartialFile) {
  ExportOptions options = Options("out.csv");
  RunUntilFileLimit(options);
  EXPECT_EQ(HiddenFiles().size(), 1u);
  EXPECT_FALSE(fs::exists(options.destination));
}

TEST_F(ResumeTest, InvalidDataRemovesPartialFile) {
  WriteInput(/*broken=*/true);
  ExportOptions options = Options("out.csv");
  EXPECT_THROW(RunExport(options), Error);
  EXPECT_TRUE(HiddenFiles().empty());
  EXPECT_EQ(JobStore(options.state_dir).find("e1")->state, ExportState::kFailed);
}

TEST_F(ResumeTest, ContinuesFromCheckpoint) {
  ExportOptions options = Options("out.csv");
  RunUntilFileLimit(options);

  ResumeOutcome outcome = ResumeExport(Request(options));
  EXPECT_NE(outcome.resumed_from.find("from chunk"), std::string::npos) << outcome.resumed_from;
  EXPECT_EQ(outcome.result.records_exported, 30000u);
  EXPECT_EQ(Read(options.destination), Reference(options, "ref.csv"));
  EXPECT_TRUE(HiddenFiles().empty());
  EXPECT_EQ(JobStore(options.state_dir).find("e1")->state, ExportState::kCompleted);
}

TEST_F(ResumeTest, RejectsChangedSource) {
  ExportOptions options = Options("out.csv");
  RunUntilFileLimit(options);
  std::ofstream(dir_ / "in.ndjson", std::ios::app) << "{\"id\":30000,\"name\":\"late\",\"v\":1}\n";

  try {
    ResumeExport(Request(options));
    FAIL() << "resume accepted a changed source";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("size changed from"), std::string::npos) << error.what();
  }

  ResumeRequest request = Request(options);
  request.allow_changed_source = true;
  EXPECT_EQ(ResumeExport(request).result.records_exported, 30001u);
}

TEST_F(ResumeTest, GzipOutputIdentical) {
  ExportOptions options = Options("out.ndjson.gz");
  RunUntilFileLimit(options, 100 * 1024);
  ResumeOutcome outcome = ResumeExport(Request(options));
  EXPECT_NE(outcome.resumed_from.find("from chunk"), std::string::npos) << outcome.resumed_from;
  EXPECT_EQ(Read(options.destination), Reference(options, "ref.ndjson.gz"));
}

TEST_F(ResumeTest, EncryptedOutputIdentical) {
  ExportOptions options = Options("out.json");
  options.encryption.mode = EncryptionMode::kSluice;
  options.encryption.password = "correct horse";
  options.encryption.scrypt_log_n = 10;
  options.encryption.test_seed = 11;
  RunUntilFileLimit(options);
  ResumeOutcome outcome = ResumeExport(Request(options));
  EXPECT_NE(outcome.resumed_from.find("from chunk"), std::string::npos) << outcome.resumed_from;
  EXPECT_EQ(Read(options.destination), Reference(options, "ref.json"));
}

TEST_F(ResumeTest, EncryptedZstdOutputIdentical) {
  ExportOptions options = Options("out.json.zst");
  options.encryption.mode = EncryptionMode::kSluice;
  options.encryption.password = "correct horse";
  options.encryption.scrypt_log_n = 10;
  options.encryption.test_seed = 11;
  RunUntilFileLimit(options, 150 * 1024);
  ResumeExport(Request(options));
  EXPECT_EQ(Read(options.destination), Reference(options, "ref.json.zst"));
}

TEST_F(ResumeTest, EncryptedWithoutPasswordFails) {
  ExportOptions options = Options("out.csv");
  options.encryption.mode = EncryptionMode::kSluice;
  options.encryption.password = "pw";
  options.encryption.scrypt_log_n = 10;
  RunUntilFileLimit(options);
  EXPECT_TRUE(ResumeNeedsPassword(options.state_dir, "e1"));
  ResumeRequest request = Request(options);
  request.password.clear();
  EXPECT_THROW(ResumeExport(request), Error);
}

TEST_F(ResumeTest, SplitPartsWrittenOnce) {
  ExportOptions options = Options("out.csv");
  options.max_file_bytes = 100 * kKiB;
  if (!RunUntilKilled(options, 3 * options.max_file_bytes)) {
    GTEST_SKIP() << "the export finished before it could be killed";
  }
  std::vector<PartRecord> before;
  for (const PartRecord& part : JobStore(options.state_dir).parts("e1")) {
    if (part.status == PartStatus::kCommitted) before.push_back(part);
  }
  ASSERT_GE(before.size(), 2u);
  ExportResult result = ResumeExport(Request(options)).result;

  ExportOptions reference = options;
  reference.destination = (dir_ / "ref.csv").string();
  reference.state_dir.clear();
  ExportResult expected = RunExport(reference);
  ASSERT_EQ(result.files.size(), expected.files.size());
  for (size_t i = 0; i < result.files.size(); ++i) {
    EXPECT_EQ(result.files[i].sha256, expected.files[i].sha256) << "part " << i + 1;
    EXPECT_EQ(result.files[i].rows, expected.files[i].rows) << "part " << i + 1;
    EXPECT_EQ(Read(result.files[i].path), Read(expected.files[i].path)) << "part " << i + 1;
  }
  // Parts committed before the kill were kept, not written again.
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(before[i].sha256, result.files[i].sha256);
  EXPECT_FALSE(result.manifest_path.empty());
  EXPECT_TRUE(HiddenFiles().empty());
}

TEST_F(ResumeTest, CompletedExportIsNotResumed) {
  ExportOptions options = Options("out.csv");
  RunExport(options);
  EXPECT_THROW(ResumeExport(Request(options)), Error);
}

TEST_F(ResumeTest, CancelRemovesPartialOutput) {
  ExportOptions options = Options("out.csv");
  options.max_file_bytes = 100 * kKiB;
  RunUntilFileLimit(options, 90 * 1024);
  ASSERT_FALSE(HiddenFiles().empty());
  CancelOutcome outcome = CancelExport(options.state_dir, "e1");
  EXPECT_FALSE(outcome.removed.empty());
  EXPECT_TRUE(outcome.warnings.empty());
  EXPECT_TRUE(HiddenFiles().empty());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find("out"), std::string::npos) << entry.path();
  }
  EXPECT_EQ(JobStore(options.state_dir).find("e1")->state, ExportState::kCancelled);
  EXPECT_THROW(ResumeExport(Request(options)), Error);
}

TEST_F(ResumeTest, UnknownExport) {
  ResumeRequest request;
  request.export_id = "nope";
  request.state_dir = (dir_ / "state").string();
  EXPECT_THROW(ResumeExport(request), Error);
}

}  // namespace
}  // namespace sluice
