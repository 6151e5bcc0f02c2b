#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "sinks/file_sink.h"
#include "sluice/error.h"
#include "transforms/encryption/decrypt_file.h"
#include "transforms/encryption/wrap_with_encryption.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class DecryptFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-decrypt-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void Encrypt(const std::string& path, const std::string& plaintext, EncryptionMode mode) {
    EncryptionOptions options;
    options.mode = mode;
    options.password = "pw";
    options.scrypt_log_n = 10;
    options.test_seed = 5;
    auto sink = WrapWithEncryption(std::make_unique<FileSink>(path), options);
    sink->write(plaintext);
    sink->commit();
  }

  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

DecryptOptions WithPassword(const std::string& password) {
  DecryptOptions options;
  options.password = [password] { return password; };
  return options;
}

TEST_F(DecryptFileTest, DetectsBothFormats) {
  Encrypt(Path("a.enc"), "sluice text", EncryptionMode::kSluice);
  Encrypt(Path("a.age"), "age text", EncryptionMode::kAge);
  EXPECT_EQ(DecryptFile(Path("a.enc"), Path("a.txt"), WithPassword("pw")).format, "sluice");
  EXPECT_EQ(Read(Path("a.txt")), "sluice text");
  EXPECT_EQ(DecryptFile(Path("a.age"), Path("b.txt"), WithPassword("pw")).format, "age");
  EXPECT_EQ(Read(Path("b.txt")), "age text");
}

TEST_F(DecryptFileTest, FailureLeavesNoOutput) {
  Encrypt(Path("a.enc"), std::string(200000, 'q'), EncryptionMode::kSluice);
  std::string data = Read(Path("a.enc"));
  data[data.size() - 100] ^= 1;
  std::ofstream(Path("bad.enc"), std::ios::binary) << data;

  EXPECT_THROW(DecryptFile(Path("bad.enc"), Path("out.txt"), WithPassword("pw")), Error);
  EXPECT_THROW(DecryptFile(Path("a.enc"), Path("out.txt"), WithPassword("wrong")), Error);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 2u);  // a.enc and bad.enc; no output and no temporary file
}

TEST_F(DecryptFileTest, PlainFileRejected) {
  std::ofstream(Path("plain.csv")) << "id\n1\n";
  try {
    DecryptFile(Path("plain.csv"), Path("out.txt"), WithPassword("pw"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("not an encrypted file"), std::string::npos);
  }
}

TEST_F(DecryptFileTest, MissingPasswordIsOptionError) {
  Encrypt(Path("a.enc"), "x", EncryptionMode::kSluice);
  try {
    DecryptFile(Path("a.enc"), Path("out.txt"), DecryptOptions{});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
  }
}

TEST(EncryptionOptions, InvalidCombinationsRejected) {
  EncryptionOptions options;
  options.mode = EncryptionMode::kSluice;
  EXPECT_THROW(ValidateEncryptionOptions(options), Error);  // no password
  options.password = "pw";
  EXPECT_NO_THROW(ValidateEncryptionOptions(options));
  options.recipients = {"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"};
  EXPECT_THROW(ValidateEncryptionOptions(options), Error);  // recipients need age
  options.mode = EncryptionMode::kAge;
  EXPECT_THROW(ValidateEncryptionOptions(options), Error);  // password and recipients
  options.password.clear();
  EXPECT_NO_THROW(ValidateEncryptionOptions(options));
  options.recipients = {"age1notakey"};
  EXPECT_THROW(ValidateEncryptionOptions(options), Error);
  options.mode = EncryptionMode::kSluice;
  options.recipients.clear();
  options.password = "pw";
  options.scrypt_log_n = 25;  // 4 GiB with r = 8
  EXPECT_THROW(ValidateEncryptionOptions(options), Error);
}

}  // namespace
}  // namespace sluice
