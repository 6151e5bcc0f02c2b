// Memory held by an export's byte transforms (compression and encryption),
// so it can be reserved from the export's memory budget before they exist.
#pragma once

#include <cstdint>

#include "sluice/options.h"

namespace sluice {

// Upper bound of what the compressor holds for the whole output part: its
// state and window plus its output buffer. 0 without compression. For zstd
// this is libzstd's own worst-case estimate for a stream of unknown size.
uint64_t CompressionMemoryBytes(const ExportOptions& options);

// Working memory of scrypt, held only while the key is derived: 128 * r * N
// bytes for V plus 128 * r * p for B. 0 when no password is used.
uint64_t KeyDerivationMemoryBytes(const EncryptionOptions& options);

// Plaintext and ciphertext segment buffers of the encrypting sink; 0
// without encryption.
uint64_t EncryptionBufferBytes(const EncryptionOptions& options);

}  // namespace sluice
