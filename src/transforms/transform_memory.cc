#include "transforms/transform_memory.h"

#define ZSTD_STATIC_LINKING_ONLY  // for ZSTD_estimateCStreamSize
#include <zstd.h>

#include "transforms/encryption/age_writer.h"
#include "transforms/encryption/sluice_container_format.h"
#include "transforms/transform_chain.h"

namespace sluice {

namespace {

// zlib's deflate state for windowBits 15 and memLevel 8, as zconf.h gives
// it: (1 << (windowBits + 2)) + (1 << (memLevel + 9)) bytes.
constexpr uint64_t kDeflateStateBytes = (1u << 17) + (1u << 17);
// GzipSink's output buffer.
constexpr uint64_t kGzipOutputBytes = 256 * 1024;
constexpr int kDefaultZstdLevel = 3;

}  // namespace

uint64_t CompressionMemoryBytes(const ExportOptions& options) {
  std::string codec = ResolveCompression(options);
  if (codec == "gzip") return kDeflateStateBytes + kGzipOutputBytes;
  if (codec == "zstd") {
    int level = options.compression_level == 0 ? kDefaultZstdLevel : options.compression_level;
    size_t estimate = ZSTD_estimateCStreamSize(level);
    return estimate + ZSTD_CStreamOutSize();
  }
  return 0;
}

uint64_t KeyDerivationMemoryBytes(const EncryptionOptions& options) {
  if (options.mode == EncryptionMode::kNone) return 0;
  if (options.mode == EncryptionMode::kAge && !options.recipients.empty()) return 0;
  if (options.scrypt_log_n < 1 || options.scrypt_log_n > 40) return 0;  // rejected later with a message
  // age's scrypt stanza always uses r = 8 and p = 1.
  uint64_t r = options.mode == EncryptionMode::kAge ? 8 : options.scrypt_r;
  uint64_t p = options.mode == EncryptionMode::kAge ? 1 : options.scrypt_p;
  unsigned __int128 bytes = (unsigned __int128){128} * r * ((uint64_t{1} << options.scrypt_log_n) + p);
  return bytes > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(bytes);
}

uint64_t EncryptionBufferBytes(const EncryptionOptions& options) {
  if (options.mode == EncryptionMode::kNone) return 0;
  // One plaintext segment and one sealed segment with its 16-byte tag.
  uint64_t segment = options.mode == EncryptionMode::kAge ? kAgeChunkBytes : kContainerSegmentBytes;
  return 2 * segment + 16;
}

}  // namespace sluice
