// Tests of the cloud upload state: its JSON form, the acknowledged prefix,
// and what an S3 sink records and restores, with no credential in it.
#include "sinks/cloud/upload_state.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "core/size.h"
#include "sinks/cloud/cloud_sink_factory.h"
#include "sluice/error.h"

namespace sluice {
namespace {

CloudUploadState S3State(std::vector<UploadedPart> parts) {
  CloudUploadState state;
  state.provider = "s3";
  state.object = "s3://bucket/dir/out.csv";
  state.upload_id = "upload-7f3a";
  state.started_at = 1764892800;
  state.parts = std::move(parts);
  return state;
}

TEST(UploadState, RoundTripsEveryField) {
  CloudUploadState state = S3State({{1, 0, 5 * kMiB, "\"etag-1\""}, {2, 5 * kMiB, 5 * kMiB, "\"etag-2\""}});
  state.session_uri = "http://127.0.0.1:4443/upload?upload_id=abc";
  state.persisted_bytes = 786432;

  CloudUploadState decoded = UploadStateFromJson(UploadStateToJson(state));
  EXPECT_EQ(decoded.provider, "s3");
  EXPECT_EQ(decoded.object, state.object);
  EXPECT_EQ(decoded.upload_id, state.upload_id);
  EXPECT_EQ(decoded.started_at, state.started_at);
  EXPECT_EQ(decoded.session_uri, state.session_uri);
  EXPECT_EQ(decoded.persisted_bytes, state.persisted_bytes);
  ASSERT_EQ(decoded.parts.size(), 2u);
  EXPECT_EQ(decoded.parts[1].number, 2u);
  EXPECT_EQ(decoded.parts[1].offset, 5 * kMiB);
  EXPECT_EQ(decoded.parts[1].size, 5 * kMiB);
  EXPECT_EQ(decoded.parts[1].tag, "\"etag-2\"");
}

TEST(UploadState, RoundTripsCompletingState) {
  CloudUploadState state = S3State({{1, 0, 5 * kMiB, "\"e1\""}, {2, 5 * kMiB, 1234, "\"e2\""}});
  state.block_prefix = "k3x9q2";
  state.head = std::string("SLUICE\0\x01\xff", 9) + std::string(71, 'h');
  state.completing = true;
  state.object_bytes = 5 * kMiB + 1234;
  state.object_rows = 98765;

  CloudUploadState decoded = UploadStateFromJson(UploadStateToJson(state));
  EXPECT_EQ(decoded.block_prefix, "k3x9q2");
  EXPECT_EQ(decoded.head, state.head);
  EXPECT_TRUE(decoded.completing);
  EXPECT_EQ(decoded.object_bytes, 5 * kMiB + 1234);
  EXPECT_EQ(decoded.object_rows, 98765u);
  ASSERT_EQ(decoded.parts.size(), 2u);
  EXPECT_EQ(decoded.parts[1].size, 1234u);
}

TEST(UploadState, ReadsStateWithoutNewerFields) {
  // The form written before block prefixes, heads and completing states.
  std::string old_form =
      R"({"provider":"azure","object":"azure://a/c/b","uploadId":"","startedAt":0,"sessionUri":"",)"
      R"("persistedBytes":0,"parts":[{"number":1,"offset":0,"size":100,"tag":"YmxvY2s="}]})";
  CloudUploadState decoded = UploadStateFromJson(old_form);
  EXPECT_EQ(decoded.provider, "azure");
  EXPECT_EQ(decoded.block_prefix, "");
  EXPECT_EQ(decoded.head, "");
  EXPECT_FALSE(decoded.completing);
  EXPECT_EQ(decoded.object_bytes, 0u);
  ASSERT_EQ(decoded.parts.size(), 1u);
}

TEST(UploadState, RejectsInvalidHead) {
  std::string json = UploadStateToJson(S3State({}));
  json.replace(json.find("\"head\":\"\""), 9, "\"head\":\"#\"");
  EXPECT_THROW(UploadStateFromJson(json), Error);
}

TEST(UploadState, AzurePrefixCountsAsStarted) {
  CloudUploadState state;
  state.provider = "azure";
  state.block_prefix = "k3x9q2";
  EXPECT_TRUE(state.started());
}

TEST(UploadState, RejectsInvalidJson) {
  EXPECT_THROW(UploadStateFromJson("{\"provider\":\"s3\"}"), Error);
  EXPECT_THROW(UploadStateFromJson("not json"), Error);
  std::string unknown = UploadStateToJson(S3State({}));
  unknown.replace(unknown.find("\"s3\""), 4, "\"ftp\"");
  EXPECT_THROW(UploadStateFromJson(unknown), Error);
}

TEST(UploadState, PrefixStopsAtGap) {
  CloudUploadState state = S3State({{1, 0, 100, "a"}, {2, 100, 100, "b"}, {4, 300, 100, "d"}});
  EXPECT_EQ(AcknowledgedPrefix(state), 200u);
  state.parts.erase(state.parts.begin());
  EXPECT_EQ(AcknowledgedPrefix(state), 0u);
}

TEST(UploadState, GcsPrefixIsPersistedBytes) {
  CloudUploadState state;
  state.provider = "gcs";
  state.session_uri = "http://127.0.0.1:4443/session";
  state.persisted_bytes = 524288;
  EXPECT_EQ(AcknowledgedPrefix(state), 524288u);
  EXPECT_TRUE(state.started());
  EXPECT_FALSE(CloudUploadState{}.started());
}

// An S3 sink for a local endpoint that is never contacted: restoring and
// describing an upload sends no request.
class S3UploadStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLEKEY0042", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret-access-key-must-not-leak", 1);
    setenv("AWS_SESSION_TOKEN", "session-token-must-not-leak", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    options_.destination = "s3://bucket/dir/out.csv";
    options_.cloud.endpoint = "http://127.0.0.1:9";
    options_.cloud.part_bytes = 5 * kMiB;
    options_.cloud.max_concurrency = 2;
  }
  void TearDown() override {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION"}) {
      unsetenv(name);
    }
  }

  ExportOptions options_;
};

TEST_F(S3UploadStateTest, RecordsRestoredPartsWithoutSecrets) {
  CloudUploadState recorded = S3State({{1, 0, 5 * kMiB, "\"e1\""}, {2, 5 * kMiB, 5 * kMiB, "\"e2\""}});
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(recorded.object, options_);
  sink->keep_upload(true);
  sink->resume_upload(recorded, 3 * kMiB);

  CloudUploadState state = sink->upload_state();
  EXPECT_EQ(state.provider, "s3");
  EXPECT_EQ(state.upload_id, "upload-7f3a");
  ASSERT_EQ(state.parts.size(), 2u);
  EXPECT_EQ(state.parts[1].offset, 5 * kMiB);
  EXPECT_EQ(state.parts[1].tag, "\"e2\"");

  std::string json = UploadStateToJson(state);
  EXPECT_EQ(json.find("AKIDEXAMPLEKEY0042"), std::string::npos);
  EXPECT_EQ(json.find("secret-access-key-must-not-leak"), std::string::npos);
  EXPECT_EQ(json.find("session-token-must-not-leak"), std::string::npos);
  sink->abort();
}

TEST_F(S3UploadStateTest, StoredBytesIgnoreMisSizedParts) {
  // Part 2 was recorded with another part size, so only part 1 is kept.
  CloudUploadState recorded = S3State({{1, 0, 5 * kMiB, "\"e1\""}, {2, 5 * kMiB, 6 * kMiB, "\"e2\""}});
  EXPECT_EQ(CloudStoredBytes(recorded, options_), 5 * kMiB);
  EXPECT_EQ(CloudStoredBytes(S3State({}), options_), 0u);
}

TEST_F(S3UploadStateTest, ResumeBeyondStoredBytesFails) {
  CloudUploadState recorded = S3State({{1, 0, 5 * kMiB, "\"e1\""}});
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(recorded.object, options_);
  sink->keep_upload(true);
  try {
    sink->resume_upload(recorded, 6 * kMiB);
    FAIL() << "expected an IOError";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_NE(std::string(error.what()).find("has stored 5242880 bytes"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace sluice
