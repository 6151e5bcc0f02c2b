// MultipartSink under a memory budget: part buffers are reserved and
// returned, and fewer parts upload at once when the budget is small.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.h"
#include "sinks/cloud/multipart_sink.h"
#include "sluice/memory_governor.h"

namespace sluice {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kPartBytes = 1 * kMiB;

// Uploads nowhere: each part takes 20 ms, and the sink records how many
// parts were uploading at once. Part `fail_part` throws.
class FakeUploadSink : public MultipartSink {
 public:
  explicit FakeUploadSink(uint64_t fail_part = 0)
      : MultipartSink("fake", "fake://bucket/object", Options(), 1 * kGiB, Limits()), fail_part_(fail_part) {}

  int max_concurrent() const { return max_concurrent_.load(); }
  int parts_uploaded() const { return parts_uploaded_.load(); }

 protected:
  void start_upload() override {}
  std::string upload_part(HttpClient&, const UploadPart& part) override {
    int now = ++concurrent_;
    int seen = max_concurrent_.load();
    while (now > seen && !max_concurrent_.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(20ms);
    --concurrent_;
    if (part.number == fail_part_) throw IOError("upload of part " + std::to_string(part.number) + " failed");
    ++parts_uploaded_;
    return std::to_string(part.number);
  }
  void complete_upload(const std::vector<std::string>&) override {}
  void put_object(const std::string&) override {}
  AbortResult abort_upload(const CloudUploadState&) override { return AbortResult::kAborted; }
  void describe_upload(CloudUploadState&) const override {}
  uint64_t restore_upload(const CloudUploadState&, uint64_t) override { return 0; }

 private:
  static CloudOptions Options() {
    CloudOptions options;
    options.part_bytes = kPartBytes;
    options.max_concurrency = 4;
    return options;
  }
  static PartLimits Limits() {
    PartLimits limits;
    limits.single_request = false;
    return limits;
  }

  uint64_t fail_part_;
  std::atomic<int> concurrent_{0};
  std::atomic<int> max_concurrent_{0};
  std::atomic<int> parts_uploaded_{0};
};

void WriteParts(MultipartSink& sink, int parts) {
  std::string block(64 * kKiB, 'x');
  for (uint64_t written = 0; written < parts * kPartBytes; written += block.size()) sink.write(block);
}

TEST(MultipartMemoryBudget, FourPartsInFlightWithRoom) {
  MemoryGovernor memory(64 * kMiB, 1s);
  FakeUploadSink sink;
  sink.set_memory_governor(&memory);
  WriteParts(sink, 12);
  sink.commit();
  EXPECT_GT(sink.max_concurrent(), 2);  // 4 unless a pool thread starts late
  EXPECT_EQ(sink.parts_uploaded(), 12);
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_LE(memory.peak_reserved(), 5 * kPartBytes);
}

TEST(MultipartMemoryBudget, ConcurrencyDropsToOne) {
  // Room for one part buffer and a half: the part being filled and one upload.
  MemoryGovernor memory(kPartBytes * 3 / 2, 1s);
  FakeUploadSink sink;
  sink.set_memory_governor(&memory);
  WriteParts(sink, 8);
  sink.commit();
  EXPECT_EQ(sink.max_concurrent(), 1);
  EXPECT_EQ(sink.parts_uploaded(), 8);
  EXPECT_EQ(memory.reserved(), 0u);
  EXPECT_LE(memory.peak_reserved(), kPartBytes);
}

TEST(MultipartMemoryBudget, ConcurrencyDropsToTwo) {
  MemoryGovernor memory(kPartBytes * 5 / 2, 1s);
  FakeUploadSink sink;
  sink.set_memory_governor(&memory);
  WriteParts(sink, 8);
  sink.commit();
  EXPECT_GE(sink.max_concurrent(), 1);
  EXPECT_LE(sink.max_concurrent(), 2);
  EXPECT_EQ(memory.reserved(), 0u);
}

TEST(MultipartMemoryBudget, ReleasedOnAbort) {
  MemoryGovernor memory(64 * kMiB, 1s);
  FakeUploadSink sink;
  sink.set_memory_governor(&memory);
  WriteParts(sink, 3);
  sink.write("more");
  EXPECT_GT(memory.reserved(), 0u);
  sink.abort();
  EXPECT_EQ(memory.reserved(), 0u);
}

TEST(MultipartMemoryBudget, ReleasedOnFailedPart) {
  MemoryGovernor memory(64 * kMiB, 1s);
  FakeUploadSink sink(2);
  sink.set_memory_governor(&memory);
  EXPECT_THROW(
      {
        WriteParts(sink, 6);
        sink.commit();
      },
      Error);
  sink.abort();
  EXPECT_EQ(memory.reserved(), 0u);
}

TEST(MultipartMemoryBudget, BreakerTripsWhenOthersHoldAll) {
  MemoryGovernor memory(4 * kMiB, 50ms);
  MemoryReservation other = memory.reserve(4 * kMiB, "another export's buffers");
  FakeUploadSink sink;
  sink.set_memory_governor(&memory);
  try {
    sink.write("x");
    FAIL() << "expected the memory limit error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kMemoryLimit);
    EXPECT_NE(std::string(error.what()).find("cloud upload part buffer"), std::string::npos) << error.what();
  }
  sink.abort();
  other.release();
  EXPECT_EQ(memory.reserved(), 0u);
}

}  // namespace
}  // namespace sluice
