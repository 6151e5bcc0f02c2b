#include "sinks/background_sink.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sluice/error.h"

namespace sluice {
namespace {

// Records each write's size and bytes, the thread that made it, and how the
// sink ended. Fails the write that would pass `fail_after` bytes.
struct Recording {
  std::string bytes;
  std::vector<size_t> writes;
  std::vector<std::thread::id> threads;
  bool committed = false;
  bool aborted = false;
  std::thread::id commit_thread;
  uint64_t fail_after = UINT64_MAX;
};

class RecordingSink final : public ByteSink {
 public:
  explicit RecordingSink(Recording& record) : record_(record) {}
  void write(std::string_view data) override {
    if (record_.bytes.size() + data.size() > record_.fail_after) {
      throw IOError("disk full while writing out.csv");
    }
    record_.bytes.append(data);
    record_.writes.push_back(data.size());
    record_.threads.push_back(std::this_thread::get_id());
  }
  void commit() override {
    record_.committed = true;
    record_.commit_thread = std::this_thread::get_id();
  }
  void abort() noexcept override { record_.aborted = true; }
  uint64_t bytes_written() const override { return record_.bytes.size(); }

 private:
  Recording& record_;
};

std::string Pattern(size_t length, int seed) {
  std::string text(length, '\0');
  for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>('a' + (i * 31 + seed) % 26);
  return text;
}

TEST(BackgroundSink, PassesBytesInOrderInWholeBuffers) {
  Recording record;
  std::string expected;
  BackgroundSink sink(std::make_unique<RecordingSink>(record));
  for (int i = 0; i < 300; ++i) {
    // Mixed sizes, a few larger than a buffer.
    std::string piece = Pattern(static_cast<size_t>((i * 7919) % 30000 + (i % 60 == 0 ? 3 << 20 : 1)), i);
    expected += piece;
    sink.write(piece);
  }
  EXPECT_EQ(sink.bytes_written(), expected.size());
  sink.commit();

  EXPECT_TRUE(record.committed);
  EXPECT_EQ(record.commit_thread, std::this_thread::get_id());
  EXPECT_EQ(record.bytes, expected);
  for (size_t i = 0; i + 1 < record.writes.size(); ++i) EXPECT_EQ(record.writes[i], BackgroundSink::kBufferBytes);
  for (std::thread::id id : record.threads) EXPECT_NE(id, std::this_thread::get_id());
}

TEST(BackgroundSink, PiecesDoNotDependOnWriteSizes) {
  std::string data = Pattern((5 << 20) + 12345, 7);
  std::vector<std::vector<size_t>> pieces;
  for (size_t step : {size_t{1000}, size_t{65536}, data.size()}) {
    Recording record;
    BackgroundSink sink(std::make_unique<RecordingSink>(record));
    for (size_t at = 0; at < data.size(); at += step) sink.write(std::string_view(data).substr(at, step));
    sink.commit();
    EXPECT_EQ(record.bytes, data);
    pieces.push_back(record.writes);
  }
  EXPECT_EQ(pieces[0], pieces[1]);
  EXPECT_EQ(pieces[0], pieces[2]);
}

TEST(BackgroundSink, DrainPassesPartialBuffer) {
  Recording record;
  BackgroundSink sink(std::make_unique<RecordingSink>(record));
  sink.write("header\n");
  sink.drain();
  // The worker is idle, so the inner sink may be read from this thread.
  EXPECT_EQ(record.bytes, "header\n");
  sink.write("row\n");
  sink.commit();
  EXPECT_EQ(record.bytes, "header\nrow\n");
  EXPECT_EQ(record.writes, (std::vector<size_t>{7, 4}));
}

TEST(BackgroundSink, WorkerFailureIsRethrownAndKept) {
  Recording record;
  record.fail_after = BackgroundSink::kBufferBytes + 10;
  BackgroundSink sink(std::make_unique<RecordingSink>(record));
  std::string buffer_full = Pattern(BackgroundSink::kBufferBytes, 1);
  sink.write(buffer_full);  // the first buffer passes
  sink.write(buffer_full);  // the second fails on the worker
  EXPECT_THROW(sink.drain(), Error);
  EXPECT_THROW(sink.commit(), Error);
  sink.abort();
  EXPECT_TRUE(record.aborted);
  EXPECT_FALSE(record.committed);
  EXPECT_EQ(record.bytes.size(), BackgroundSink::kBufferBytes);
}

TEST(BackgroundSink, AbortDropsBufferedBytes) {
  Recording record;
  {
    BackgroundSink sink(std::make_unique<RecordingSink>(record));
    sink.write(Pattern(100, 2));
    sink.abort();
  }
  EXPECT_TRUE(record.aborted);
  EXPECT_TRUE(record.bytes.empty());
}

TEST(BackgroundSink, HookRunsAfterEachBuffer) {
  Recording record;
  std::atomic<uint64_t> seen{0};
  BackgroundSink sink(std::make_unique<RecordingSink>(record));
  sink.set_after_each_buffer([&] { seen.store(record.bytes.size()); });
  sink.write(Pattern((2 << 20) + 5, 3));
  sink.drain();
  EXPECT_EQ(seen.load(), (2u << 20) + 5);
  sink.commit();
}

}  // namespace
}  // namespace sluice
