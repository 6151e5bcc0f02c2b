#include "transforms/transform_chain.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sluice/error.h"
#include "support/string_sink.h"
#include "transforms/gzip_sink.h"
#include "transforms/zstd_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

ExportOptions WithDestination(const std::string& destination, const std::string& compression = "") {
  ExportOptions options;
  options.destination = destination;
  options.compression = compression;
  return options;
}

TEST(TransformChain, CompressionFromExtension) {
  EXPECT_EQ(ResolveCompression(WithDestination("out.csv")), "none");
  EXPECT_EQ(ResolveCompression(WithDestination("out.csv.gz")), "gzip");
  EXPECT_EQ(ResolveCompression(WithDestination("OUT.CSV.GZ")), "gzip");
  EXPECT_EQ(ResolveCompression(WithDestination("out.ndjson.zst")), "zstd");
  EXPECT_EQ(ResolveCompression(WithDestination("-")), "none");
}

TEST(TransformChain, ExplicitCompressionWins) {
  EXPECT_EQ(ResolveCompression(WithDestination("out.csv.gz", "none")), "none");
  EXPECT_EQ(ResolveCompression(WithDestination("out.csv", "ZSTD")), "zstd");
  EXPECT_THROW(ResolveCompression(WithDestination("out.csv", "brotli")), Error);
}

TEST(TransformChain, ConflictingCodecRejected) {
  try {
    ResolveCompression(WithDestination("out.csv.gz", "zstd"));
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_NE(message.find("--compression zstd"), std::string::npos) << message;
    EXPECT_NE(message.find("out.csv.gz"), std::string::npos) << message;
  }
  EXPECT_EQ(ResolveCompression(WithDestination("out.csv.zst", "zstd")), "zstd");
}

TEST(TransformChain, WrapsInCodec) {
  auto gzip = WrapWithTransforms(std::make_unique<StringSink>(), WithDestination("x.gz"));
  EXPECT_NE(dynamic_cast<GzipSink*>(gzip.get()), nullptr);

  auto zstd = WrapWithTransforms(std::make_unique<StringSink>(), WithDestination("x.zst"));
  EXPECT_NE(dynamic_cast<ZstdSink*>(zstd.get()), nullptr);

  auto plain = WrapWithTransforms(std::make_unique<StringSink>(), WithDestination("x.csv"));
  EXPECT_NE(dynamic_cast<StringSink*>(plain.get()), nullptr);
}

TEST(TransformChain, RejectsLevelOutsideCodecRange) {
  ExportOptions options = WithDestination("x.gz");
  options.compression_level = 10;
  try {
    WrapWithTransforms(std::make_unique<StringSink>(), options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_STREQ(error.what(),
                 "invalid compression level 10 for gzip: use 1 (fastest) to 9 (smallest), or 0 "
                 "for the default (6)");
  }

  options = WithDestination("x.zst");
  options.compression_level = 19;
  EXPECT_NO_THROW(WrapWithTransforms(std::make_unique<StringSink>(), options));
  options.compression_level = -1;
  EXPECT_THROW(WrapWithTransforms(std::make_unique<StringSink>(), options), Error);
}

}  // namespace
}  // namespace sluice
