#include "sinks/cloud/multipart_sink.h"

#include <gtest/gtest.h>

#include "sinks/cloud/gcs_sink.h"
#include "sinks/cloud/retry_policy.h"
#include "sinks/cloud/s3_sink.h"

namespace sluice {
namespace {

PartLimits S3LikeLimits() {
  PartLimits limits;
  limits.min_part_bytes = 5 * kMiB;
  limits.max_part_bytes = 5 * kGiB;
  limits.max_parts = 10000;
  limits.parts_per_step = 900;
  return limits;
}

TEST(MultipartSink, PartSizeDoublesPerStep) {
  PartLimits limits = S3LikeLimits();
  EXPECT_EQ(MultipartSink::PartSize(8 * kMiB, limits, 1), 8 * kMiB);
  EXPECT_EQ(MultipartSink::PartSize(8 * kMiB, limits, 900), 8 * kMiB);
  EXPECT_EQ(MultipartSink::PartSize(8 * kMiB, limits, 901), 16 * kMiB);
  EXPECT_EQ(MultipartSink::PartSize(8 * kMiB, limits, 10000), 5 * kGiB);
}

TEST(MultipartSink, TenThousandPartsReachFiveTebibytes) {
  PartLimits limits = S3LikeLimits();
  uint64_t total = 0;
  for (uint64_t part = 1; part <= 10000; ++part) total += MultipartSink::PartSize(5 * kMiB, limits, part);
  EXPECT_GE(total, 5 * 1024 * kGiB);
}

TEST(MultipartSink, PartSizeCapped) {
  PartLimits limits = S3LikeLimits();
  EXPECT_EQ(MultipartSink::PartSize(4 * kGiB, limits, 5000), 5 * kGiB);
}

TEST(MultipartSink, GcsChunksRoundedUp) {
  PartLimits limits;
  limits.part_multiple = GcsSink::kChunkMultiple;
  EXPECT_EQ(MultipartSink::PartSize(1000 * kKiB, limits, 7), 1024 * kKiB);
}

TEST(GcsSink, PersistedBytesFromRange) {
  HttpResponse response;
  EXPECT_EQ(GcsSink::PersistedBytes(response), 0u);
  response.headers = {{"range", "bytes=0-262143"}};
  EXPECT_EQ(GcsSink::PersistedBytes(response), 262144u);
}

TEST(S3Sink, UrlStyles) {
  EXPECT_EQ(S3Sink::ObjectUrl("https://s3.eu-west-1.amazonaws.com", "b", "dir/a b+c.csv", false, ""),
            "https://b.s3.eu-west-1.amazonaws.com/dir/a%20b%2Bc.csv");
  EXPECT_EQ(S3Sink::ObjectUrl("http://127.0.0.1:9000", "b", "k", true, "uploads="),
            "http://127.0.0.1:9000/b/k?uploads=");
}

TEST(S3Sink, MultipartEtag) {
  // MD5("part one") and MD5("part two"); the object's ETag is the MD5 of
  // their 32 binary bytes, as computed with Python's hashlib.
  std::vector<std::string> parts = {"\"3303e12af474ca11d85ed2966a932992\"", "3ea4e15b91a17dc76052c56cfcdf67a2"};
  EXPECT_EQ(S3Sink::MultipartEtag(parts), "\"0732917abc3288784e318ac0aab1757a-2\"");
}

TEST(S3Sink, MultipartEtagNeedsMd5Etags) {
  EXPECT_EQ(S3Sink::MultipartEtag({"\"3303e12af474ca11d85ed2966a932992\"", "\"not-an-md5\""}), "");
  EXPECT_EQ(S3Sink::MultipartEtag({"3303E12AF474CA11D85ED2966A932992"}), "");
}

TEST(RetryPolicy, RetryableStatuses) {
  for (long status : {408L, 429L, 500L, 502L, 503L, 504L}) EXPECT_TRUE(IsRetryableStatus(status)) << status;
  for (long status : {400L, 401L, 403L, 404L, 409L, 412L}) EXPECT_FALSE(IsRetryableStatus(status)) << status;
}

TEST(RetryPolicy, BackoffBounded) {
  RetryPolicy policy;
  for (int attempt = 1; attempt < 30; ++attempt) {
    auto delay = BackoffDelay(policy, attempt);
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay, policy.max_delay);
    EXPECT_LE(delay.count(), policy.base_delay.count() << std::min(attempt - 1, 20));
  }
  EXPECT_GE(BackoffDelay(policy, 1, 3).count(), 3000);
}

}  // namespace
}  // namespace sluice
