// Tests of MultipartSink's object resolver: the key of an upload is chosen
// when the upload starts, so a split export can name its first part by
// what it has written by then. A fake provider records the keys it is
// pointed at and sends nothing.
#include "sinks/cloud/multipart_sink.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"

namespace sluice {
namespace {

constexpr uint64_t kPartBytes = 100;

PartLimits FakeLimits(bool single_request) {
  PartLimits limits;
  limits.ordered = true;
  limits.single_request = single_request;
  return limits;
}

CloudOptions FakeOptions() {
  CloudOptions options;
  options.part_bytes = kPartBytes;
  return options;
}

class KeyRecordingSink : public MultipartSink {
 public:
  explicit KeyRecordingSink(bool single_request)
      : MultipartSink("fake", "s3://bucket/out.csv", FakeOptions(), UINT64_MAX, FakeLimits(single_request)) {}
  ~KeyRecordingSink() override { abort(); }

  std::string key = "out.csv";
  std::vector<std::string> started_with;  // the key at start_upload() or put_object()

 private:
  void set_key(const std::string& new_key) override { key = new_key; }
  void start_upload() override { started_with.push_back(key); }
  std::string upload_part(HttpClient&, const UploadPart& part) override { return std::to_string(part.number); }
  void complete_upload(const std::vector<std::string>&) override {}
  void put_object(const std::string&) override { started_with.push_back(key); }
  AbortResult abort_upload(const CloudUploadState&) override { return AbortResult::kAborted; }
  void describe_upload(CloudUploadState& state) const override { state.provider = "s3"; }
  uint64_t restore_upload(const CloudUploadState&, uint64_t recorded_bytes) override { return recorded_bytes; }
};

TEST(ObjectResolver, AskedWhenFirstPartFills) {
  KeyRecordingSink sink(/*single_request=*/true);
  int calls = 0;
  sink.set_object_resolver([&] {
    ++calls;
    return std::string("s3://bucket/out.part-00001.csv");
  });
  sink.write(std::string(kPartBytes - 1, 'x'));
  EXPECT_EQ(calls, 0);
  sink.write("yy");
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(sink.started_with.size(), 1u);
  EXPECT_EQ(sink.started_with[0], "out.part-00001.csv");
  EXPECT_EQ(sink.upload_state().object, "s3://bucket/out.part-00001.csv");
  sink.write(std::string(3 * kPartBytes, 'z'));
  sink.commit();
  EXPECT_EQ(calls, 1);
}

TEST(ObjectResolver, AskedBeforeSingleRequest) {
  KeyRecordingSink sink(/*single_request=*/true);
  sink.set_object_resolver([] { return std::string("s3://bucket/out.part-00001.csv"); });
  sink.write("small");
  EXPECT_TRUE(sink.started_with.empty());
  sink.commit();
  ASSERT_EQ(sink.started_with.size(), 1u);
  EXPECT_EQ(sink.started_with[0], "out.part-00001.csv");
}

TEST(ObjectResolver, SameUrlKeepsKey) {
  KeyRecordingSink sink(/*single_request=*/false);
  sink.set_object_resolver([] { return std::string("s3://bucket/out.csv"); });
  sink.write("small");
  sink.commit();
  ASSERT_EQ(sink.started_with.size(), 1u);
  EXPECT_EQ(sink.started_with[0], "out.csv");
}

TEST(ObjectResolver, OtherBucketRejected) {
  KeyRecordingSink sink(/*single_request=*/true);
  sink.set_object_resolver([] { return std::string("s3://other/out.part-00001.csv"); });
  sink.write("small");
  EXPECT_THROW(sink.commit(), Error);
  EXPECT_TRUE(sink.started_with.empty());
}

TEST(ObjectResolver, WithoutResolverKeyUnchanged) {
  KeyRecordingSink sink(/*single_request=*/true);
  sink.write(std::string(2 * kPartBytes, 'x'));
  sink.commit();
  ASSERT_FALSE(sink.started_with.empty());
  EXPECT_EQ(sink.started_with[0], "out.csv");
}

}  // namespace
}  // namespace sluice
