#include "sinks/cloud/azure_credentials.h"

#include <gtest/gtest.h>

#include "sinks/cloud/azure_sink.h"
#include "sinks/cloud/cloud_crypto.h"
#include "sluice/error.h"

namespace sluice {
namespace {

// The layout of Microsoft's Shared Key string-to-sign for the Blob service:
// eleven standard headers, a zero Content-Length signed as empty, sorted
// x-ms- headers, then /ACCOUNT/PATH and sorted decoded query parameters.
TEST(AzureCredentials, StringToSignLayout) {
  AzureSignedRequest request;
  request.method = "PUT";
  request.path = "/devstoreaccount1/container/dir/a%20b.csv";
  request.query = {{"comp", "block"}, {"blockid", "YmxvY2s="}};
  request.headers = {{"x-ms-version", "2021-08-06"},
                     {"Content-Length", "11"},
                     {"x-ms-date", "Fri, 01 Mar 2024 10:00:00 GMT"},
                     {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
                     {"Content-Type", "application/octet-stream"}};
  EXPECT_EQ(AzureStringToSign(request, "devstoreaccount1"),
            "PUT\n\n\n11\nXrY7u+Ae7tCTyyK7j1rNww==\napplication/octet-stream\n\n\n\n\n\n\n"
            "x-ms-date:Fri, 01 Mar 2024 10:00:00 GMT\nx-ms-version:2021-08-06\n"
            "/devstoreaccount1/devstoreaccount1/container/dir/a%20b.csv\nblockid:YmxvY2s=\ncomp:block");
}

TEST(AzureCredentials, ZeroLengthSignedEmpty) {
  AzureSignedRequest request;
  request.method = "PUT";
  request.path = "/c/b";
  request.headers = {{"Content-Length", "0"}};
  EXPECT_EQ(AzureStringToSign(request, "acct"), "PUT\n\n\n\n\n\n\n\n\n\n\n\n/acct/c/b");
}

TEST(AzureCredentials, SharedKeyIsHmacOfStringToSign) {
  AzureSignedRequest request;
  request.method = "GET";
  request.path = "/c/b";
  std::string key = "0123456789abcdef";
  EXPECT_EQ(AzureSharedKeyAuthorization(request, "acct", key),
            "SharedKey acct:" + Base64Encode(HmacSha256(key, AzureStringToSign(request, "acct"))));
}

TEST(AzureCredentials, ConnectionStringFields) {
  auto fields = ParseConnectionString("AccountName=a;AccountKey=k==;BlobEndpoint=http://h:1/a;");
  ASSERT_EQ(fields.size(), 3u);
  EXPECT_EQ(fields[1].first, "AccountKey");
  EXPECT_EQ(fields[1].second, "k==");
  EXPECT_THROW(ParseConnectionString("AccountName"), Error);
}

TEST(AzureCredentials, DevelopmentStorage) {
  setenv("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true", 1);
  AzureCredentials credentials = LoadAzureCredentials("devstoreaccount1");
  unsetenv("AZURE_STORAGE_CONNECTION_STRING");
  EXPECT_EQ(credentials.blob_endpoint, "http://127.0.0.1:10000/devstoreaccount1");
  EXPECT_EQ(credentials.account_key.size(), 64u);
}

TEST(AzureCredentials, OtherAccountRejected) {
  setenv("AZURE_STORAGE_CONNECTION_STRING", "AccountName=one;AccountKey=AAAA", 1);
  EXPECT_THROW(LoadAzureCredentials("two"), Error);
  unsetenv("AZURE_STORAGE_CONNECTION_STRING");
}

TEST(AzureSink, BlockIdsEqualLength) {
  EXPECT_EQ(AzureSink::BlockId(1).size(), AzureSink::BlockId(50000).size());
  EXPECT_NE(AzureSink::BlockId(1), AzureSink::BlockId(2));
  EXPECT_EQ(UriEncode(AzureSink::BlockId(1), false).find('='), std::string::npos);
}

}  // namespace
}  // namespace sluice
