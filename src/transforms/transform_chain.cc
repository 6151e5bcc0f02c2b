#include "transforms/transform_chain.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/error.h"
#include "transforms/encryption/wrap_with_encryption.h"
#include "transforms/gzip_sink.h"
#include "transforms/zstd_sink.h"

namespace sluice {

namespace {

constexpr int kDefaultGzipLevel = 6;  // zlib's default
constexpr int kDefaultZstdLevel = 3;  // libzstd's default
constexpr int kMaxGzipLevel = 9;
constexpr int kMaxZstdLevel = 22;     // ZSTD_maxCLevel() of libzstd 1.5

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Maps options.compression_level (0 = default) to a codec level, rejecting
// levels outside the codec's range.
int ResolveLevel(const std::string& codec, int requested) {
  int default_level = codec == "gzip" ? kDefaultGzipLevel : kDefaultZstdLevel;
  int max_level = codec == "gzip" ? kMaxGzipLevel : kMaxZstdLevel;
  if (requested == 0) return default_level;
  if (requested < 1 || requested > max_level) {
    throw InvalidOption("invalid compression level " + std::to_string(requested) + " for " +
                       codec + ": use 1 (fastest) to " + std::to_string(max_level) +
                       " (smallest), or 0 for the default (" + std::to_string(default_level) +
                       ")");
  }
  return requested;
}

}  // namespace

std::string ResolveCompression(const ExportOptions& options) {
  std::string destination = Lowercase(options.destination);
  std::string implied = EndsWith(destination, ".gz") ? "gzip" : EndsWith(destination, ".zst") ? "zstd" : "";
  if (options.compression.empty()) return implied.empty() ? "none" : implied;

  std::string codec = Lowercase(options.compression);
  if (codec != "none" && codec != "gzip" && codec != "zstd") {
    throw InvalidOption("invalid compression '" + options.compression + "': use none, gzip or zstd");
  }
  // "none" stays allowed, so a .gz name can hold uncompressed bytes on request.
  if (!implied.empty() && codec != "none" && codec != implied) {
    throw InvalidOption("conflicting options: --compression " + options.compression + " but the destination " +
                        options.destination + " has the extension of " + implied +
                        "; drop --compression or change the extension");
  }
  return codec;
}

std::unique_ptr<ByteSink> WrapWithTransforms(std::unique_ptr<ByteSink> sink,
                                             const ExportOptions& options) {
  // Encryption wraps the sink first, so the order of the bytes' path is
  // writer -> compressor -> encryptor -> sink: compressing ciphertext would
  // gain nothing.
  sink = WrapWithEncryption(std::move(sink), options.encryption);

  std::string codec = ResolveCompression(options);
  if (codec == "none") return sink;

  int level = ResolveLevel(codec, options.compression_level);
  if (codec == "gzip") return std::make_unique<GzipSink>(std::move(sink), level);
  return std::make_unique<ZstdSink>(std::move(sink), level);
}

}  // namespace sluice
