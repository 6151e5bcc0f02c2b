#include "sinks/cloud/cloud_destination.h"

#include <gtest/gtest.h>

#include "sluice/error.h"

namespace sluice {
namespace {

TEST(CloudDestination, RecognizesSchemes) {
  EXPECT_TRUE(IsCloudDestination("s3://b/k"));
  EXPECT_TRUE(IsCloudDestination("gs://b/o"));
  EXPECT_TRUE(IsCloudDestination("azure://a/c/b"));
  EXPECT_TRUE(IsCloudDestination("https://acct.blob.core.windows.net/c/b.csv"));
  EXPECT_FALSE(IsCloudDestination("https://example.com/c/b.csv"));
  EXPECT_FALSE(IsCloudDestination("out/s3.csv"));
  EXPECT_FALSE(IsCloudDestination("-"));
}

TEST(CloudDestination, ParsesS3) {
  CloudDestination parsed = ParseCloudDestination("s3://bucket/dir/file name.csv");
  EXPECT_EQ(parsed.provider, CloudProvider::kS3);
  EXPECT_EQ(parsed.bucket, "bucket");
  EXPECT_EQ(parsed.key, "dir/file name.csv");
}

TEST(CloudDestination, ParsesAzureForms) {
  CloudDestination short_form = ParseCloudDestination("azure://acct/container/a/b.csv");
  EXPECT_EQ(short_form.account, "acct");
  EXPECT_EQ(short_form.bucket, "container");
  EXPECT_EQ(short_form.key, "a/b.csv");
  CloudDestination url_form = ParseCloudDestination("https://acct.blob.core.windows.net/container/a/b.csv");
  EXPECT_EQ(url_form.provider, CloudProvider::kAzure);
  EXPECT_EQ(url_form.account, "acct");
  EXPECT_EQ(url_form.bucket, "container");
  EXPECT_EQ(url_form.key, "a/b.csv");
}

TEST(CloudDestination, RejectsMissingParts) {
  for (const char* url : {"s3://bucket", "s3://bucket/", "s3:///key", "gs://b", "azure://acct/container",
                          "https://acct.blob.core.windows.net/container"}) {
    EXPECT_THROW(ParseCloudDestination(url), Error) << url;
  }
}

TEST(CloudDestination, QueryRejectedWithoutEcho) {
  try {
    ParseCloudDestination("https://a.blob.core.windows.net/c/b?sv=1&sig=SECRET");
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_EQ(std::string(error.what()).find("SECRET"), std::string::npos);
  }
}

}  // namespace
}  // namespace sluice
