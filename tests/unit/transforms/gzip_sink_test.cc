#include "transforms/gzip_sink.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <memory>
#include <random>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::SinkRecord;
using testing::StringSink;

// Decompresses every gzip member in `data` with zlib, as gzip -d does.
std::string Gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());

  std::string out;
  char buffer[65536];
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    int status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // the next member
      continue;
    }
    if (status != Z_OK) {
      ADD_FAILURE() << "inflate failed with " << status;
      break;
    }
  }
  inflateEnd(&stream);
  return out;
}

// Text that compresses well but is not trivial: a few MB with repeats.
std::string SampleText(size_t bytes) {
  std::mt19937 random(3);
  std::string text;
  while (text.size() < bytes) {
    text += "row " + std::to_string(random() % 100000) + ",value,\xC3\xA9\n";
  }
  text.resize(bytes);
  return text;
}

TEST(GzipSink, RoundTrip) {
  SinkRecord record;
  GzipSink sink(std::make_unique<StringSink>(&record), 6);
  std::string input = SampleText(3 << 20);
  for (size_t i = 0; i < input.size(); i += 100000) {
    sink.write(std::string_view(input).substr(i, 100000));
  }
  sink.commit();

  EXPECT_TRUE(record.committed);
  EXPECT_EQ(sink.bytes_written(), input.size());
  EXPECT_EQ(sink.compressed_bytes(), record.bytes.size());
  EXPECT_LT(record.bytes.size(), input.size() / 2);
  EXPECT_EQ(Gunzip(record.bytes), input);
}

TEST(GzipSink, DeterministicHeader) {
  SinkRecord first;
  SinkRecord second;
  for (SinkRecord* record : {&first, &second}) {
    GzipSink sink(std::make_unique<StringSink>(record), 9);
    sink.write("hello, gzip");
    sink.commit();
  }
  EXPECT_EQ(first.bytes, second.bytes);
  ASSERT_GE(first.bytes.size(), 10u);
  EXPECT_EQ(first.bytes.substr(0, 3), "\x1f\x8b\x08");
  EXPECT_EQ(first.bytes[3], '\0');                        // no flags: no file name
  EXPECT_EQ(first.bytes.substr(4, 4), std::string(4, '\0'));  // mtime 0
}

TEST(GzipSink, EmptyOutputIsValidGzip) {
  SinkRecord record;
  GzipSink sink(std::make_unique<StringSink>(&record), -1);
  sink.commit();
  EXPECT_EQ(record.bytes.substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(Gunzip(record.bytes), "");
}

TEST(GzipSink, TwoMembersDecompressToConcatenation) {
  SinkRecord record;
  GzipSink sink(std::make_unique<StringSink>(&record), 6);
  sink.write("first part\n");
  sink.end_frame();
  uint64_t first_member_bytes = record.bytes.size();
  EXPECT_EQ(sink.compressed_bytes(), first_member_bytes);
  sink.end_frame();  // no data since the last member: nothing written
  EXPECT_EQ(record.bytes.size(), first_member_bytes);
  sink.write("second part\n");
  sink.commit();

  EXPECT_GT(record.bytes.size(), first_member_bytes);
  EXPECT_EQ(record.bytes.substr(first_member_bytes, 3), "\x1f\x8b\x08");
  EXPECT_EQ(Gunzip(record.bytes), "first part\nsecond part\n");
  EXPECT_EQ(Gunzip(record.bytes.substr(first_member_bytes)), "second part\n");
}

TEST(GzipSink, MemberAfterCheckpointMatchesFreshStream) {
  // A run restarted at a checkpoint produces the same bytes for the rest.
  SinkRecord whole;
  GzipSink sink(std::make_unique<StringSink>(&whole), 6);
  sink.write("before the checkpoint");
  sink.end_frame();
  size_t checkpoint = whole.bytes.size();
  sink.write("after the checkpoint");
  sink.commit();

  SinkRecord resumed;
  GzipSink restarted(std::make_unique<StringSink>(&resumed), 6);
  restarted.write("after the checkpoint");
  restarted.commit();
  EXPECT_EQ(whole.bytes.substr(checkpoint), resumed.bytes);
}

TEST(GzipSink, AbortAbortsInner) {
  SinkRecord record;
  GzipSink sink(std::make_unique<StringSink>(&record), 6);
  sink.write("data");
  sink.abort();
  EXPECT_TRUE(record.aborted);
  EXPECT_FALSE(record.committed);
  EXPECT_THROW(sink.write("more"), Error);
}

TEST(GzipSink, RejectsInvalidLevel) {
  SinkRecord record;
  EXPECT_THROW(GzipSink(std::make_unique<StringSink>(&record), 10), Error);
  EXPECT_THROW(GzipSink(std::make_unique<StringSink>(&record), -2), Error);
}

}  // namespace
}  // namespace sluice
