#include "sinks/cloud/aws_credentials.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "sluice/error.h"

namespace sluice {
namespace {

class AwsCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                             "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CONFIG_FILE"}) {
      unsetenv(name);
    }
    path_ = testing::TempDir() + "/aws_credentials_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::ofstream(path_) << "[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = s1\n"
                            "# comment\n[work]\nAWS_ACCESS_KEY_ID=WORKKEY\naws_secret_access_key= s2 \n"
                            "aws_session_token = t2\n";
    setenv("AWS_SHARED_CREDENTIALS_FILE", path_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(AwsCredentialsTest, DefaultProfile) {
  EXPECT_EQ(LoadAwsCredentials("").access_key_id, "DEFAULTKEY");
}

TEST_F(AwsCredentialsTest, NamedProfile) {
  AwsCredentials credentials = LoadAwsCredentials("work");
  EXPECT_EQ(credentials.access_key_id, "WORKKEY");
  EXPECT_EQ(credentials.secret_access_key, "s2");
  EXPECT_EQ(credentials.session_token, "t2");
}

TEST_F(AwsCredentialsTest, EnvironmentBeforeFile) {
  setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
  EXPECT_EQ(LoadAwsCredentials("").access_key_id, "ENVKEY");
  EXPECT_EQ(LoadAwsCredentials("work").access_key_id, "WORKKEY");
}

TEST_F(AwsCredentialsTest, MissingProfileNamed) {
  try {
    LoadAwsCredentials("nope");
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("AWS profile 'nope' not found"), std::string::npos);
  }
}

TEST_F(AwsCredentialsTest, RegionOrder) {
  EXPECT_EQ(ResolveAwsRegion("", ""), "us-east-1");
  setenv("AWS_DEFAULT_REGION", "eu-west-2", 1);
  EXPECT_EQ(ResolveAwsRegion("", ""), "eu-west-2");
  EXPECT_EQ(ResolveAwsRegion("ap-south-1", ""), "ap-south-1");
}

}  // namespace
}  // namespace sluice
