#include "formats/parquet/page_compressor.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include "core/error.h"

namespace sluice::parquet {

namespace {

constexpr int kDefaultGzipLevel = 6;
constexpr int kDefaultZstdLevel = 3;

[[noreturn]] void FailDecompress(Codec codec, const std::string& detail) {
  throw InvalidInput("corrupt Parquet page: " + CodecName(codec) + " data failed to decompress (" +
                     detail + ")");
}

void GzipCompress(std::string_view input, int level, std::string& out) {
  z_stream stream{};
  // windowBits 15 + 16 writes a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorKind::kInternal, "zlib deflateInit2 failed");
  }
  out.resize(deflateBound(&stream, input.size()) + 32);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw Error(ErrorKind::kInternal, "zlib deflate did not finish a page");
}

void GzipDecompress(std::string_view input, std::string& out) {
  z_stream stream{};
  // windowBits 15 + 32 accepts both gzip and zlib headers, as some writers use zlib.
  if (inflateInit2(&stream, 15 + 32) != Z_OK) throw Error(ErrorKind::kInternal, "zlib inflateInit2 failed");
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int status = inflate(&stream, Z_FINISH);
  size_t produced = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != out.size()) {
    FailDecompress(Codec::kGzip, status == Z_STREAM_END ? "wrong size" : "zlib status " + std::to_string(status));
  }
}

}  // namespace

Codec ParseCodec(const std::string& name) {
  if (name == "snappy") return Codec::kSnappy;
  if (name == "gzip") return Codec::kGzip;
  if (name == "zstd") return Codec::kZstd;
  if (name == "none" || name == "uncompressed") return Codec::kUncompressed;
  throw InvalidOption("invalid Parquet codec '" + name + "': use snappy, gzip, zstd or none");
}

std::string CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "uncompressed";
    case Codec::kSnappy: return "snappy";
    case Codec::kGzip: return "gzip";
    case Codec::kLzo: return "lzo";
    case Codec::kBrotli: return "brotli";
    case Codec::kLz4: return "lz4";
    case Codec::kZstd: return "zstd";
    case Codec::kLz4Raw: return "lz4_raw";
  }
  return "codec " + std::to_string(static_cast<int>(codec));
}

struct PageCompressor::ZstdContext {
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ~ZstdContext() { ZSTD_freeCCtx(context); }
};

PageCompressor::PageCompressor(Codec codec, int level) : codec_(codec), level_(level) {
  if (codec == Codec::kGzip) {
    if (level < 0 || level > 9) throw InvalidOption("invalid Parquet gzip level " + std::to_string(level) + ": use 1 to 9");
    if (level_ == 0) level_ = kDefaultGzipLevel;
  } else if (codec == Codec::kZstd) {
    if (level < 0 || level > ZSTD_maxCLevel()) {
      throw InvalidOption("invalid Parquet zstd level " + std::to_string(level) + ": use 1 to " +
                         std::to_string(ZSTD_maxCLevel()));
    }
    if (level_ == 0) level_ = kDefaultZstdLevel;
    zstd_ = std::make_unique<ZstdContext>();
  } else if (codec != Codec::kSnappy && codec != Codec::kUncompressed) {
    throw InvalidOption("Parquet codec " + CodecName(codec) + " is not supported for writing: use snappy, gzip, zstd or none");
  }
}

PageCompressor::~PageCompressor() = default;

void PageCompressor::compress(std::string_view input, std::string& out) {
  switch (codec_) {
    case Codec::kSnappy: {
      out.resize(snappy::MaxCompressedLength(input.size()));
      size_t size = 0;
      snappy::RawCompress(input.data(), input.size(), out.data(), &size);
      out.resize(size);
      return;
    }
    case Codec::kGzip:
      GzipCompress(input, level_, out);
      return;
    case Codec::kZstd: {
      out.resize(ZSTD_compressBound(input.size()));
      size_t size = ZSTD_compressCCtx(zstd_->context, out.data(), out.size(), input.data(), input.size(), level_);
      if (ZSTD_isError(size)) throw Error(ErrorKind::kInternal, std::string("zstd compression failed: ") + ZSTD_getErrorName(size));
      out.resize(size);
      return;
    }
    default:
      out.assign(input);
      return;
  }
}

void DecompressPage(Codec codec, std::string_view input, size_t uncompressed_size, std::string& out) {
  if (codec == Codec::kUncompressed) {
    if (input.size() != uncompressed_size) FailDecompress(codec, "page sizes differ");
    out.assign(input);
    return;
  }
  if (codec == Codec::kSnappy) {
    // The length header is checked before the output is allocated.
    size_t length = 0;
    if (!snappy::GetUncompressedLength(input.data(), input.size(), &length) || length != uncompressed_size) {
      FailDecompress(codec, "bad length header");
    }
  }
  out.resize(uncompressed_size);
  switch (codec) {
    case Codec::kSnappy: {
      if (!snappy::RawUncompress(input.data(), input.size(), out.data())) FailDecompress(codec, "invalid data");
      return;
    }
    case Codec::kGzip:
      GzipDecompress(input, out);
      return;
    case Codec::kZstd: {
      size_t size = ZSTD_decompress(out.data(), out.size(), input.data(), input.size());
      if (ZSTD_isError(size)) FailDecompress(codec, ZSTD_getErrorName(size));
      if (size != uncompressed_size) FailDecompress(codec, "wrong size");
      return;
    }
    default:
      throw InvalidInput("Parquet codec " + CodecName(codec) +
                         " is not supported: rewrite the file with snappy, gzip, zstd or no compression");
  }
}

}  // namespace sluice::parquet
