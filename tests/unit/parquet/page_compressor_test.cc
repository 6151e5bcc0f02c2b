#include "formats/parquet/page_compressor.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sluice::parquet {
namespace {

TEST(PageCompressor, RoundTripEveryCodec) {
  std::string page;
  for (int i = 0; i < 5000; ++i) page += "value " + std::to_string(i % 97) + ";";
  for (Codec codec : {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    PageCompressor compressor(codec, 0);
    std::string compressed;
    compressor.compress(page, compressed);
    if (codec != Codec::kUncompressed) EXPECT_LT(compressed.size(), page.size() / 4) << CodecName(codec);
    std::string restored;
    DecompressPage(codec, compressed, page.size(), restored);
    EXPECT_EQ(restored, page) << CodecName(codec);
  }
}

TEST(PageCompressor, CorruptOrMisSizedPagesThrow) {
  std::string page(10000, 'a');
  for (Codec codec : {Codec::kSnappy, Codec::kGzip, Codec::kZstd}) {
    PageCompressor compressor(codec, 0);
    std::string compressed;
    compressor.compress(page, compressed);
    std::string out;
    EXPECT_THROW(DecompressPage(codec, compressed, page.size() + 1, out), Error) << CodecName(codec);
    std::string damaged = compressed;
    for (size_t i = 0; i < damaged.size(); i += 3) damaged[i] ^= 0x5a;
    EXPECT_THROW(DecompressPage(codec, damaged, page.size(), out), Error) << CodecName(codec);
  }
  std::string out;
  EXPECT_THROW(DecompressPage(Codec::kLz4, "abc", 3, out), Error);
}

TEST(PageCompressor, ParseCodecAndLevels) {
  EXPECT_EQ(ParseCodec("snappy"), Codec::kSnappy);
  EXPECT_EQ(ParseCodec("none"), Codec::kUncompressed);
  EXPECT_THROW(ParseCodec("brotli"), Error);
  EXPECT_THROW(PageCompressor(Codec::kGzip, 10), Error);
  EXPECT_THROW(PageCompressor(Codec::kZstd, 99), Error);
  EXPECT_NO_THROW(PageCompressor(Codec::kZstd, 19));
}

}  // namespace
}  // namespace sluice::parquet
