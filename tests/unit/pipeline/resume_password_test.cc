#include "pipeline/resume_password.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"
#include "transforms/encryption/age_writer.h"
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

std::string AgeFile(const AgeRecipients& recipients) {
  testing::SinkRecord record;
  RandomSource random(5);
  AgeWriter writer(std::make_unique<testing::StringSink>(&record), recipients, random);
  writer.write("id,name\n1,a\n");
  writer.commit();
  return record.bytes;
}

std::string AgePassphraseFile(const std::string& passphrase) {
  AgeRecipients recipients;
  recipients.passphrase = passphrase;
  recipients.scrypt_log_n = 10;  // tests only: cheap on purpose
  return AgeFile(recipients);
}

// Length of the age header up to and including the MAC line's newline.
size_t AgeHeaderBytes(const std::string& file) { return file.find('\n', file.find("\n--- ") + 1) + 1; }

std::string ErrorMessage(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  return "";
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

TEST_F(ResumePasswordTest, AgePartChecksPassphrase) {
  std::string part = File("out.part-00001.csv", AgePassphraseFile("correct-horse"));
  EXPECT_NO_THROW(CheckRecordedPassword("correct-horse", "", {part}, "out.csv"));
  std::string message = ErrorMessage([&] { CheckRecordedPassword("battery-staple", "", {part}, "out.csv"); });
  EXPECT_EQ(message, "wrong password for out.csv");
}

TEST_F(ResumePasswordTest, AgeHeaderOnlyPartialFileChecked) {
  std::string age = AgePassphraseFile("correct-horse");
  std::string partial = File(".out.csv.sluice-tmp-3", age.substr(0, AgeHeaderBytes(age)));
  EXPECT_NO_THROW(CheckRecordedPassword("correct-horse", "", {partial}, "out.csv"));
  EXPECT_THROW(CheckRecordedPassword("wrong", "", {partial}, "out.csv"), Error);
}

TEST_F(ResumePasswordTest, AgeTruncatedHeaderSkipped) {
  std::string age = AgePassphraseFile("correct-horse");
  size_t header_bytes = AgeHeaderBytes(age);
  for (size_t length : {size_t{5}, size_t{19}, size_t{40}, header_bytes - 30, header_bytes - 1}) {
    std::string partial = File(".out.csv.sluice-tmp-4", age.substr(0, length));
    EXPECT_NO_THROW(CheckRecordedPassword("wrong", "", {partial}, "out.csv")) << "length " << length;
  }
}

TEST_F(ResumePasswordTest, AgeCutHeaderChecksNextFile) {
  std::string age = AgePassphraseFile("correct-horse");
  std::string cut = File("a-cut", age.substr(0, AgeHeaderBytes(age) - 1));
  std::string whole = File("b-whole", age);
  EXPECT_THROW(CheckRecordedPassword("wrong", "", {cut, whole}, "out.csv"), Error);
}

TEST_F(ResumePasswordTest, AgeModifiedMacRejected) {
  std::string tampered = AgePassphraseFile("correct-horse");
  size_t mac_start = tampered.find("\n--- ") + 5;
  tampered[mac_start] = tampered[mac_start] == 'A' ? 'B' : 'A';
  std::string part = File("out.part-00001.csv", tampered);
  std::string message = ErrorMessage([&] { CheckRecordedPassword("correct-horse", "", {part}, "out.csv"); });
  EXPECT_NE(message.find("fails its MAC"), std::string::npos) << message;
}

TEST_F(ResumePasswordTest, AgeMalformedHeaderRejected) {
  std::string part = File("out.part-00001.csv", "age-encryption.org/v1\n-> scrypt !!\n\n--- x\n");
  std::string message = ErrorMessage([&] { CheckRecordedPassword("any", "", {part}, "out.csv"); });
  EXPECT_NE(message.find("out.csv"), std::string::npos) << message;
}

TEST_F(ResumePasswordTest, AgeX25519NeedsNoPassword) {
  AgeRecipients recipients;
  X25519Key identity{};
  identity[0] = 7;
  recipients.x25519.push_back(X25519PublicKey(identity));
  std::string part = File("out.part-00001.csv", AgeFile(recipients));
  EXPECT_NO_THROW(CheckRecordedPassword("any", "", {part}, "out.csv"));
}

TEST_F(ResumePasswordTest, AgeUploadHeadChecksPassphrase) {
  std::string head = AgePassphraseFile("correct-horse").substr(0, 256);
  EXPECT_NO_THROW(CheckRecordedPassword("correct-horse", head, {}, "s3://bucket/out.csv"));
  std::string message = ErrorMessage([&] { CheckRecordedPassword("wrong", head, {}, "s3://bucket/out.csv"); });
  EXPECT_EQ(message, "wrong password for s3://bucket/out.csv");
}

}  // namespace
}  // namespace sluice
