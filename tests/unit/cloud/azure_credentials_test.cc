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
  EXPECT_EQ(AzureSink::BlockId("k3x9q2", 1).size(), AzureSink::BlockId("k3x9q2", 50000).size());
  EXPECT_NE(AzureSink::BlockId("k3x9q2", 1), AzureSink::BlockId("k3x9q2", 2));
  EXPECT_EQ(UriEncode(AzureSink::BlockId("k3x9q2", 1), false).find('='), std::string::npos);
}

TEST(AzureSink, BlockIdsNameTheirUpload) {
  EXPECT_NE(AzureSink::BlockId("k3x9q2", 1), AzureSink::BlockId("a0b1c2", 1));
  // Uploads recorded before block ids had a prefix keep their ids, whose
  // length a prefixed id keeps too.
  EXPECT_EQ(AzureSink::BlockId("", 7), Base64Encode("block-0000000007"));
  EXPECT_EQ(AzureSink::BlockId("k3x9q2", 7), Base64Encode("k3x9q20000000007"));
}

TEST(AzureSink, CommittedBlocksMatch) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><CommittedBlocks>"
      "<Block><Name>aWQx</Name><Size>1048576</Size></Block>"
      "<Block><Name>aWQy</Name><Size>17</Size></Block>"
      "</CommittedBlocks><UncommittedBlocks /></BlockList>";
  std::vector<UploadedPart> parts = {{1, 0, 1048576, "aWQx"}, {2, 1048576, 17, "aWQy"}};
  EXPECT_TRUE(AzureSink::CommittedBlocksMatch(xml, parts));

  std::vector<UploadedPart> other_size = parts;
  other_size[1].size = 18;
  EXPECT_FALSE(AzureSink::CommittedBlocksMatch(xml, other_size));

  std::vector<UploadedPart> other_id = parts;
  other_id[0].tag = "aWQz";
  EXPECT_FALSE(AzureSink::CommittedBlocksMatch(xml, other_id));

  std::vector<UploadedPart> fewer = {parts[0]};
  EXPECT_FALSE(AzureSink::CommittedBlocksMatch(xml, fewer));
}

TEST(AzureSink, EmptyBlockListMatchesNothing) {
  std::string xml = "<BlockList><CommittedBlocks /></BlockList>";
  EXPECT_FALSE(AzureSink::CommittedBlocksMatch(xml, {{1, 0, 5, "aWQx"}}));
}

}  // namespace
}  // namespace sluice
