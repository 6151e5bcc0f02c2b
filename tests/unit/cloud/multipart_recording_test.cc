// Tests of what MultipartSink hands its state hook for a job store to
// record: the parts acknowledged when a failed export keeps its upload, the
// completing state before the completing request, and the object's head.
// A fake provider acknowledges every part at once and sends nothing.
#include "sinks/cloud/multipart_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace sluice {
namespace {

constexpr uint64_t kPartBytes = 100;

PartLimits FakeLimits() {
  PartLimits limits;
  limits.ordered = true;  // one upload thread, so submit() waits for the part before
  limits.single_request = false;
  return limits;
}

CloudOptions FakeOptions() {
  CloudOptions options;
  options.part_bytes = kPartBytes;
  return options;
}

class FakeSink : public MultipartSink {
 public:
  FakeSink() : MultipartSink("fake", "s3://bucket/object", FakeOptions(), UINT64_MAX, FakeLimits()) {}
  ~FakeSink() override { abort(); }

  std::vector<std::string> completed_tags;
  int completions = 0;
  int aborts = 0;
  int completed_queries = 0;
  bool assembled = false;  // what upload_completed() returns
  bool abort_fails = false;          // abort_upload() throws IOError
  std::string aborted_upload_id;     // the id abort_upload() last received

 private:
  void start_upload() override {}
  std::string upload_part(HttpClient&, const UploadPart& part) override {
    return "tag-" + std::to_string(part.number);
  }
  void complete_upload(const std::vector<std::string>& tags) override {
    completed_tags = tags;
    ++completions;
  }
  void put_object(const std::string&) override {}
  AbortResult abort_upload(const CloudUploadState& state) override {
    ++aborts;
    aborted_upload_id = state.upload_id;
    if (abort_fails) throw IOError("fake AbortMultipartUpload failed: HTTP 405");
    return AbortResult::kAborted;
  }
  void describe_upload(CloudUploadState& state) const override {
    state.provider = "s3";
    state.upload_id = "fake-upload";
  }
  uint64_t restore_upload(const CloudUploadState&, uint64_t recorded_bytes) override { return recorded_bytes; }
  bool upload_completed(const CloudUploadState&) override {
    ++completed_queries;
    return assembled;
  }
};

CloudUploadState CompletingState() {
  CloudUploadState state;
  state.provider = "s3";
  state.object = "s3://bucket/object";
  state.upload_id = "fake-upload";
  state.parts = {{1, 0, kPartBytes, "tag-1"}, {2, kPartBytes, 30, "tag-2"}};
  state.completing = true;
  state.object_bytes = kPartBytes + 30;
  state.object_rows = 7;
  return state;
}

TEST(MultipartRecording, AbortRecordsAcknowledgedParts) {
  FakeSink sink;
  std::vector<CloudUploadState> recorded;
  sink.set_state_hook([&](const CloudUploadState& state) { recorded.push_back(state); });
  sink.keep_upload(true);

  sink.write(std::string(150, 'a'));
  sink.upload_state();  // a checkpoint describes the upload
  // Submitting part 3 waits for part 2, so parts 1 and 2 are acknowledged
  // after the checkpoint.
  sink.write(std::string(200, 'b'));
  sink.abort();

  EXPECT_EQ(sink.aborts, 0);
  ASSERT_EQ(recorded.size(), 2u);  // when the upload started, then at abort()
  EXPECT_TRUE(recorded[0].parts.empty());
  const CloudUploadState& kept = recorded[1];
  EXPECT_FALSE(kept.completing);
  ASSERT_GE(kept.parts.size(), 2u);
  EXPECT_EQ(kept.parts[0].number, 1u);
  EXPECT_EQ(kept.parts[1].number, 2u);
  EXPECT_EQ(kept.parts[1].offset, kPartBytes);
  EXPECT_EQ(kept.parts[1].size, kPartBytes);
  EXPECT_EQ(kept.parts[1].tag, "tag-2");
}

TEST(MultipartRecording, AbortBeforeCheckpointAbortsUpload) {
  FakeSink sink;
  std::vector<CloudUploadState> recorded;
  sink.set_state_hook([&](const CloudUploadState& state) { recorded.push_back(state); });
  sink.keep_upload(true);

  sink.write(std::string(250, 'a'));
  sink.abort();

  EXPECT_EQ(sink.aborts, 1);
  EXPECT_EQ(recorded.size(), 1u);  // only the start
}

TEST(MultipartRecording, FailedAbortStaysInsideAbort) {
  FakeSink sink;
  sink.abort_fails = true;
  sink.write(std::string(250, 'a'));
  sink.abort();  // noexcept: an escaping IOError would end the test binary

  EXPECT_EQ(sink.aborts, 1);
  EXPECT_EQ(sink.aborted_upload_id, "fake-upload");
}

TEST(MultipartRecording, RecordedUploadAbortedOnce) {
  FakeSink sink;
  CloudUploadState recorded = CompletingState();
  recorded.completing = false;
  recorded.upload_id = "recorded-upload";

  EXPECT_EQ(sink.abort_recorded_upload(recorded), MultipartSink::AbortResult::kAborted);
  EXPECT_EQ(sink.aborted_upload_id, "recorded-upload");
  sink.abort();
  EXPECT_EQ(sink.aborts, 1);
}

TEST(MultipartRecording, RecordedUploadAbortFailureThrows) {
  FakeSink sink;
  sink.abort_fails = true;
  CloudUploadState recorded = CompletingState();
  recorded.completing = false;

  try {
    sink.abort_recorded_upload(recorded);
    ADD_FAILURE() << "expected an IOError";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO) << error.what();
  }
  EXPECT_EQ(sink.aborts, 1);
}

TEST(MultipartRecording, CommitRecordsCompletingStateFirst) {
  FakeSink sink;
  std::vector<CloudUploadState> recorded;
  int completions_at_record = -1;
  sink.set_state_hook([&](const CloudUploadState& state) {
    recorded.push_back(state);
    if (state.completing) completions_at_record = sink.completions;
  });

  sink.write(std::string(230, 'a'));
  sink.commit();

  EXPECT_EQ(completions_at_record, 0);
  EXPECT_EQ(sink.completions, 1);
  ASSERT_EQ(recorded.size(), 2u);
  const CloudUploadState& completing = recorded[1];
  EXPECT_TRUE(completing.completing);
  EXPECT_EQ(completing.upload_id, "fake-upload");
  EXPECT_EQ(completing.object_bytes, 230u);
  ASSERT_EQ(completing.parts.size(), 3u);
  EXPECT_EQ(completing.parts[2].number, 3u);
  EXPECT_EQ(completing.parts[2].offset, 2 * kPartBytes);
  EXPECT_EQ(completing.parts[2].size, 30u);
  EXPECT_EQ(completing.parts[2].tag, "tag-3");
}

TEST(MultipartRecording, CompletingHookFailureFailsCommit) {
  FakeSink sink;
  sink.set_state_hook([](const CloudUploadState& state) {
    if (state.completing) throw IOError("job store is read-only");
  });
  sink.write(std::string(150, 'a'));
  EXPECT_THROW(sink.commit(), Error);
  EXPECT_EQ(sink.completions, 0);
}

TEST(MultipartRecording, FinishSkipsAssembledObject) {
  FakeSink sink;
  sink.assembled = true;
  sink.finish_recorded_upload(CompletingState());
  EXPECT_EQ(sink.completed_queries, 1);
  EXPECT_EQ(sink.completions, 0);
  EXPECT_EQ(sink.aborts, 0);
}

TEST(MultipartRecording, FinishCompletesRecordedParts) {
  FakeSink sink;
  sink.finish_recorded_upload(CompletingState());
  EXPECT_EQ(sink.completions, 1);
  EXPECT_EQ(sink.completed_tags, (std::vector<std::string>{"tag-1", "tag-2"}));
  EXPECT_EQ(sink.bytes_written(), kPartBytes + 30);
  EXPECT_EQ(sink.aborts, 0);
}

TEST(MultipartRecording, FinishNeedsCompletingState) {
  FakeSink sink;
  CloudUploadState state = CompletingState();
  state.completing = false;
  EXPECT_THROW(sink.finish_recorded_upload(state), Error);
}

TEST(MultipartRecording, CompletedCheckSendsNothing) {
  for (bool assembled : {true, false}) {
    FakeSink sink;
    sink.assembled = assembled;
    EXPECT_EQ(sink.recorded_upload_completed(CompletingState()), assembled);
    EXPECT_EQ(sink.completed_queries, 1);
    EXPECT_EQ(sink.completions, 0) << "assembled " << assembled;
    sink.abort();
    EXPECT_EQ(sink.aborts, 0) << "assembled " << assembled;
  }
}

TEST(MultipartRecording, CompletedCheckNeedsCompletingState) {
  FakeSink sink;
  CloudUploadState state = CompletingState();
  state.completing = false;
  EXPECT_THROW(sink.recorded_upload_completed(state), Error);
}

TEST(MultipartRecording, ReopenFindsAssembledObject) {
  FakeSink sink;
  sink.assembled = true;
  EXPECT_EQ(sink.reopen_upload(CompletingState()), MultipartSink::kUploadFinished);
  EXPECT_EQ(sink.completed_queries, 1);
}

TEST(MultipartRecording, ReopenUnassembledKeepsFullParts) {
  FakeSink sink;
  // Part 2 is shorter than a part, so only part 1 counts as stored.
  EXPECT_EQ(sink.reopen_upload(CompletingState()), kPartBytes);
  EXPECT_EQ(sink.completed_queries, 1);
}

TEST(MultipartRecording, ResumeOfAssembledObjectSendsNothing) {
  FakeSink sink;
  sink.assembled = true;
  CloudUploadState state = CompletingState();
  sink.resume_upload(state, kPartBytes);
  sink.write(std::string(30, 'x'));
  sink.commit();
  EXPECT_EQ(sink.completions, 0);
  EXPECT_EQ(sink.aborts, 0);
}

TEST(MultipartRecording, HeadKeepsFirstBytes) {
  FakeSink sink;
  sink.record_head(80);
  std::string data;
  for (int i = 0; i < 250; ++i) data.push_back(static_cast<char>('a' + i % 26));
  sink.write(std::string_view(data).substr(0, 30));
  sink.write(std::string_view(data).substr(30));
  EXPECT_EQ(sink.upload_state().head, data.substr(0, 80));
  sink.abort();
}

TEST(MultipartRecording, HeadRestoredOnResume) {
  CloudUploadState recorded;
  recorded.provider = "s3";
  recorded.object = "s3://bucket/object";
  recorded.upload_id = "fake-upload";
  recorded.parts = {{1, 0, kPartBytes, "tag-1"}};
  recorded.head = std::string(80, 'h');

  FakeSink sink;
  sink.record_head(80);
  sink.keep_upload(true);
  sink.resume_upload(recorded, kPartBytes);
  sink.write(std::string(20, 'x'));
  CloudUploadState state = sink.upload_state();
  EXPECT_EQ(state.head, recorded.head);
  ASSERT_EQ(state.parts.size(), 1u);
  EXPECT_EQ(state.parts[0].tag, "tag-1");
}

TEST(MultipartRecording, NoHeadUnlessRequested) {
  FakeSink sink;
  sink.write(std::string(150, 'a'));
  EXPECT_EQ(sink.upload_state().head, "");
  sink.abort();
}

}  // namespace
}  // namespace sluice
