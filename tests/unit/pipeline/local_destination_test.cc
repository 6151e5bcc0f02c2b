#include "pipeline/local_destination.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sluice/error.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

class LocalDestinationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-local-destination-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    dir_ = fs::canonical(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::string Touch(const std::string& name) const {
    std::ofstream(Path(name)) << "a\n";
    return Path(name);
  }

  // Returns the message of the InvalidOption that `options` raises, or "".
  static std::string RejectionOf(const ExportOptions& options) {
    try {
      CheckDestinationFile(options);
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
      return error.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(LocalDestinationTest, LinkResolvesToTarget) {
  std::string target = Touch("target.csv");
  fs::create_symlink(target, Path("link.csv"));
  fs::create_symlink(Path("link.csv"), Path("chain.csv"));

  EXPECT_EQ(ResolveDestinationLink(Path("link.csv")), target);
  EXPECT_EQ(ResolveDestinationLink(Path("chain.csv")), target);
}

TEST_F(LocalDestinationTest, OtherPathsUnchanged) {
  EXPECT_EQ(ResolveDestinationLink(Path("new.csv")), Path("new.csv"));
  EXPECT_EQ(ResolveDestinationLink(Touch("file.csv")), Path("file.csv"));
  EXPECT_EQ(ResolveDestinationLink("-"), "-");
  EXPECT_EQ(ResolveDestinationLink("s3://bucket/key.csv"), "s3://bucket/key.csv");
}

TEST_F(LocalDestinationTest, DanglingLinkRejected) {
  fs::create_symlink(Path("missing.csv"), Path("link.csv"));
  try {
    ResolveDestinationLink(Path("link.csv"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_NE(message.find("target does not exist"), std::string::npos) << message;
  }
}

TEST_F(LocalDestinationTest, DirectoryRejected) {
  fs::create_directory(Path("out.csv"));
  ExportOptions options;
  options.source = "gen:rows=1";
  options.destination = Path("out.csv");

  std::string message = RejectionOf(options);
  EXPECT_NE(message.find("it is a directory"), std::string::npos) << message;
}

TEST_F(LocalDestinationTest, SourceFileRejected) {
  std::string input = Touch("in.csv");
  fs::create_symlink(input, Path("alias.csv"));
  ExportOptions options;
  options.destination = input;

  for (const std::string& source : {input, Path("alias.csv"), "sqlite:" + input + "?table=t"}) {
    options.source = source;
    std::string message = RejectionOf(options);
    EXPECT_NE(message.find("same file as the source"), std::string::npos) << source << ": " << message;
  }
}

TEST_F(LocalDestinationTest, OrdinaryDestinationsAccepted) {
  ExportOptions options;
  options.source = Touch("in.csv");
  for (const std::string& destination : {Path("new.csv"), Touch("old.csv"), std::string("-")}) {
    options.destination = destination;
    EXPECT_EQ(RejectionOf(options), "") << destination;
  }
}

}  // namespace
}  // namespace sluice
