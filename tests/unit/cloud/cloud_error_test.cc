#include "sinks/cloud/cloud_error.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(CloudError, ParsesS3XmlError) {
  HttpResponse response;
  response.status = 404;
  response.body = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does "
                  "not exist</Message></Error>";
  EXPECT_EQ(DescribeHttpFailure("S3", "PutObject", "s3://b/k", response),
            "S3 PutObject of s3://b/k failed: HTTP 404 NoSuchBucket: The specified bucket does not exist; "
            "check that the bucket or container exists and the endpoint is right");
}

TEST(CloudError, ParsesGcsJsonError) {
  HttpResponse response;
  response.status = 403;
  response.body = R"({"error":{"code":403,"message":"Access denied.","errors":[{"reason":"forbidden"}]}})";
  ProviderError error = ParseProviderError(response);
  EXPECT_EQ(error.code, "forbidden");
  EXPECT_EQ(error.message, "Access denied.");
}

TEST(CloudError, AzureHeaderCode) {
  HttpResponse response;
  response.status = 403;
  response.headers = {{"x-ms-error-code", "AuthenticationFailed"}};
  EXPECT_EQ(ParseProviderError(response).code, "AuthenticationFailed");
}

TEST(CloudError, RedactsEchoedSecrets) {
  std::string text = RedactSecrets(
      "The MAC signature found in the HTTP request 'q9Ixb0yWbnjz8Ddn2sBMlnUZ0rAc4Hd1KeG9Nv8Rr0E=' is not "
      "the same; url ?sv=2021&sig=abc%2Bdef&se=1 Authorization: Bearer ya29.abcdef Signature=0123abcd");
  EXPECT_EQ(text.find("q9Ixb0yWbnjz8Ddn2sBMlnUZ0rAc4Hd1KeG9Nv8Rr0E"), std::string::npos) << text;
  EXPECT_EQ(text.find("abc%2Bdef"), std::string::npos) << text;
  EXPECT_EQ(text.find("ya29.abcdef"), std::string::npos) << text;
  EXPECT_EQ(text.find("0123abcd"), std::string::npos) << text;
  EXPECT_NE(text.find("is not the same"), std::string::npos) << text;
}

TEST(CloudError, LongObjectNameKept) {
  HttpResponse response;
  response.status = 500;
  std::string object = "s3://bucket/exports/a_very_long_object_name_that_is_not_a_secret_at_all.csv";
  EXPECT_NE(DescribeHttpFailure("S3", "PutObject", object, response).find(object), std::string::npos);
}

}  // namespace
}  // namespace sluice
