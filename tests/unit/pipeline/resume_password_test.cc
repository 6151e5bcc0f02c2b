#include "pipeline/resume_password.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"
#include "transforms/encryption/random_source.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

const ScryptParams kFastScrypt{10, 8, 1};  // tests only: cheap on purpose

std::string Container(const std::string& password) {
  testing::SinkRecord record;
  RandomSource random(3);
  SluiceContainerWriter writer(std::make_unique<testing::StringSink>(&record), password, kFastScrypt, random);
  writer.write("id,name\n1,a\n");
  writer.commit();
  return record.bytes;
}

class ResumePasswordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-resume-password-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string File(const std::string& name, const std::string& content) const {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  fs::path dir_;
};

TEST_F(ResumePasswordTest, PartialFileHeaderChecksPassword) {
  std::string partial = File(".out.csv.sluice-tmp-1", Container("correct-horse").substr(0, 100));
  EXPECT_NO_THROW(CheckRecordedPassword("correct-horse", "", {partial}, "out.csv"));
  try {
    CheckRecordedPassword("battery-staple", "", {partial}, "out.csv");
    FAIL() << "expected a wrong-password error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("wrong password"), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).find("battery-staple"), std::string::npos) << error.what();
  }
}

TEST_F(ResumePasswordTest, UploadHeadChecksPassword) {
  std::string head = Container("correct-horse").substr(0, 80);
  EXPECT_NO_THROW(CheckRecordedPassword("correct-horse", head, {}, "s3://bucket/out.csv"));
  EXPECT_THROW(CheckRecordedPassword("wrong", head, {}, "s3://bucket/out.csv"), Error);
}

TEST_F(ResumePasswordTest, NothingWrittenNothingChecked) {
  std::string short_file = File(".out.csv.sluice-tmp-2", Container("correct-horse").substr(0, 40));
  std::string missing = (dir_ / "missing").string();
  std::string plain = File("plain.csv", std::string(200, 'x'));
  EXPECT_NO_THROW(CheckRecordedPassword("any", "", {short_file, missing, plain}, "out.csv"));
  EXPECT_NO_THROW(CheckRecordedPassword("any", "", {}, "out.csv"));
}

}  // namespace
}  // namespace sluice
