#include "transforms/zstd_sink.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <memory>
#include <random>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::SinkRecord;
using testing::StringSink;

// Decompresses every frame in `data` with libzstd's streaming decoder.
std::string Unzstd(const std::string& data) {
  ZSTD_DCtx* context = ZSTD_createDCtx();
  ZSTD_inBuffer input{data.data(), data.size(), 0};
  std::string out;
  std::string buffer(ZSTD_DStreamOutSize(), '\0');
  size_t status = 0;
  while (input.pos < input.size) {
    ZSTD_outBuffer output{buffer.data(), buffer.size(), 0};
    status = ZSTD_decompressStream(context, &output, &input);
    if (ZSTD_isError(status)) {
      ADD_FAILURE() << ZSTD_getErrorName(status);
      break;
    }
    out.append(buffer.data(), output.pos);
  }
  EXPECT_EQ(status, 0u) << "the last frame is incomplete";
  ZSTD_freeDCtx(context);
  return out;
}

std::string SampleText(size_t bytes) {
  std::mt19937 random(5);
  std::string text;
  while (text.size() < bytes) {
    text += "row " + std::to_string(random() % 100000) + ",value,\xC3\xA9\n";
  }
  text.resize(bytes);
  return text;
}

TEST(ZstdSink, RoundTrip) {
  SinkRecord record;
  ZstdSink sink(std::make_unique<StringSink>(&record), 3);
  std::string input = SampleText(3 << 20);
  for (size_t i = 0; i < input.size(); i += 100000) {
    sink.write(std::string_view(input).substr(i, 100000));
  }
  sink.commit();

  EXPECT_TRUE(record.committed);
  EXPECT_EQ(sink.bytes_written(), input.size());
  EXPECT_EQ(sink.compressed_bytes(), record.bytes.size());
  EXPECT_LT(record.bytes.size(), input.size() / 2);
  EXPECT_EQ(Unzstd(record.bytes), input);
}

TEST(ZstdSink, FrameHasChecksum) {
  SinkRecord record;
  ZstdSink sink(std::make_unique<StringSink>(&record), 0);
  sink.write("hello, zstd");
  sink.commit();

  // RFC 8878 section 3.1.1: the magic number, then the frame header
  // descriptor whose bit 2 is the content checksum flag.
  ASSERT_GE(record.bytes.size(), 5u);
  EXPECT_EQ(record.bytes.substr(0, 4), "\x28\xB5\x2F\xFD");
  EXPECT_NE(static_cast<unsigned char>(record.bytes[4]) & 0x04, 0);
  EXPECT_EQ(Unzstd(record.bytes), "hello, zstd");
}

TEST(ZstdSink, Deterministic) {
  SinkRecord first;
  SinkRecord second;
  std::string input = SampleText(1 << 20);
  for (SinkRecord* record : {&first, &second}) {
    ZstdSink sink(std::make_unique<StringSink>(record), 5);
    sink.write(input);
    sink.commit();
  }
  EXPECT_EQ(first.bytes, second.bytes);
}

TEST(ZstdSink, EmptyOutputIsValidZstd) {
  SinkRecord record;
  ZstdSink sink(std::make_unique<StringSink>(&record), 3);
  sink.commit();
  EXPECT_EQ(record.bytes.substr(0, 4), "\x28\xB5\x2F\xFD");
  EXPECT_EQ(Unzstd(record.bytes), "");
}

TEST(ZstdSink, TwoFramesDecompressToConcatenation) {
  SinkRecord record;
  ZstdSink sink(std::make_unique<StringSink>(&record), 3);
  sink.write("first part\n");
  sink.end_frame();
  size_t first_frame_bytes = record.bytes.size();
  EXPECT_EQ(ZSTD_findFrameCompressedSize(record.bytes.data(), record.bytes.size()),
            first_frame_bytes);
  sink.end_frame();  // no data since the last frame: nothing written
  EXPECT_EQ(record.bytes.size(), first_frame_bytes);
  sink.write("second part\n");
  sink.commit();

  EXPECT_GT(record.bytes.size(), first_frame_bytes);
  EXPECT_EQ(Unzstd(record.bytes), "first part\nsecond part\n");
  EXPECT_EQ(Unzstd(record.bytes.substr(first_frame_bytes)), "second part\n");
}

TEST(ZstdSink, FrameAfterCheckpointMatchesFreshStream) {
  SinkRecord whole;
  ZstdSink sink(std::make_unique<StringSink>(&whole), 3);
  sink.write("before the checkpoint");
  sink.end_frame();
  size_t checkpoint = whole.bytes.size();
  sink.write("after the checkpoint");
  sink.commit();

  SinkRecord resumed;
  ZstdSink restarted(std::make_unique<StringSink>(&resumed), 3);
  restarted.write("after the checkpoint");
  restarted.commit();
  EXPECT_EQ(whole.bytes.substr(checkpoint), resumed.bytes);
}

TEST(ZstdSink, AbortAbortsInner) {
  SinkRecord record;
  ZstdSink sink(std::make_unique<StringSink>(&record), 3);
  sink.write("data");
  sink.abort();
  EXPECT_TRUE(record.aborted);
  EXPECT_FALSE(record.committed);
  EXPECT_THROW(sink.write("more"), Error);
}

TEST(ZstdSink, RejectsInvalidLevel) {
  SinkRecord record;
  EXPECT_THROW(ZstdSink(std::make_unique<StringSink>(&record), 23), Error);
}

}  // namespace
}  // namespace sluice
