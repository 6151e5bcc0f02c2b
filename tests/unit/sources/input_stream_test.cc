#include "sources/input_stream.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include <fstream>
#include <string>

#include "sluice/error.h"

namespace sluice {
namespace {

class InputStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice_input_stream_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Write(const std::string& content, const std::string& name) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string dir_;
};

std::string Gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  size_t size = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  EXPECT_FALSE(ZSTD_isError(size));
  out.resize(size);
  return out;
}

// Reads everything with reads of `read_size` bytes.
std::string ReadAll(InputStream& stream, size_t read_size = 1000) {
  std::string out;
  std::string buffer(read_size, '\0');
  while (size_t count = stream.read(buffer.data(), buffer.size())) out.append(buffer, 0, count);
  EXPECT_EQ(stream.read(buffer.data(), buffer.size()), 0u);
  return out;
}

std::string LargeText() {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += std::to_string(i * 7919 % 100003) + ",row\n";
  return text;
}

TEST_F(InputStreamTest, PlainFile) {
  std::string text = LargeText();
  InputStream stream(Write(text, "plain.csv"));
  EXPECT_EQ(ReadAll(stream, 777), text);
  EXPECT_EQ(stream.compression(), InputCompression::kNone);
  EXPECT_EQ(stream.file_size(), text.size());
  EXPECT_EQ(stream.file_bytes_read(), text.size());
}

TEST_F(InputStreamTest, ShortPlainFiles) {
  for (std::string text : {"", "a", "ab", "\x1F", "abcdef"}) {
    InputStream stream(Write(text, "short.csv"));
    EXPECT_EQ(ReadAll(stream, 1), text);
  }
}

TEST_F(InputStreamTest, GzipFile) {
  std::string text = LargeText();
  std::string compressed = Gzip(text);
  InputStream stream(Write(compressed, "data.csv.gz"));
  EXPECT_EQ(ReadAll(stream, 4096), text);
  EXPECT_EQ(stream.compression(), InputCompression::kGzip);
  EXPECT_EQ(stream.file_bytes_read(), compressed.size());
}

TEST_F(InputStreamTest, GzipMembersConcatenated) {
  InputStream stream(Write(Gzip("first\n") + Gzip("second\n"), "two.gz"));
  EXPECT_EQ(ReadAll(stream, 3), "first\nsecond\n");
}

TEST_F(InputStreamTest, ZstdFile) {
  std::string text = LargeText();
  InputStream stream(Write(Zstd(text), "data.csv.zst"));
  EXPECT_EQ(ReadAll(stream, 5000), text);
  EXPECT_EQ(stream.compression(), InputCompression::kZstd);
}

TEST_F(InputStreamTest, ZstdFramesConcatenated) {
  InputStream stream(Write(Zstd("first\n") + Zstd("second\n"), "two.zst"));
  EXPECT_EQ(ReadAll(stream, 2), "first\nsecond\n");
}

TEST_F(InputStreamTest, TruncatedGzip) {
  std::string compressed = Gzip(LargeText());
  InputStream stream(Write(compressed.substr(0, compressed.size() / 2), "cut.gz"));
  try {
    ReadAll(stream);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("truncated gzip file"), std::string::npos);
  }
}

TEST_F(InputStreamTest, TruncatedZstd) {
  std::string compressed = Zstd(LargeText());
  InputStream stream(Write(compressed.substr(0, compressed.size() / 2), "cut.zst"));
  try {
    ReadAll(stream);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("truncated zstd file"), std::string::npos);
  }
}

TEST_F(InputStreamTest, CorruptGzip) {
  std::string compressed = Gzip(LargeText());
  for (size_t i = 20; i < 60; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5A);
  InputStream stream(Write(compressed, "bad.gz"));
  try {
    ReadAll(stream);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(std::string(error.what()).find("bad.gz"), std::string::npos);
  }
}

TEST_F(InputStreamTest, MissingFileAndDirectory) {
  EXPECT_THROW(InputStream(dir_ + "/missing.csv"), Error);
  try {
    InputStream stream(dir_);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_NE(std::string(error.what()).find("directory"), std::string::npos);
  }
}

}  // namespace
}  // namespace sluice
