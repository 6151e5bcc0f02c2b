// Decrypts a file that Sluice or the `age` tool encrypted: `sluice decrypt`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace sluice {

struct DecryptOptions {
  // Called at most once, and only when the file is password-protected.
  std::function<std::string()> password;
  // age identity files (AGE-SECRET-KEY-1... lines) for files encrypted to
  // X25519 recipients.
  std::vector<std::string> identity_files;
  // When set, a cancellation stops the decryption with ErrorKind::kCancelled
  // and removes the partial output. It is checked before each write.
  const CancellationToken* cancel = nullptr;
};

struct DecryptResult {
  std::string format;  // "sluice" or "age"
  uint64_t plaintext_bytes = 0;
};

// Decrypts `input_path` into `output_path`. The plaintext goes to a temporary
// file that is renamed to `output_path` only after the final segment
// verified, so a failure leaves no output file. The format is detected from
// the magic bytes.
// Throws Error with ErrorKind::kCancelled when options.cancel is set.
// Throws InvalidInput for a file that is not encrypted, a wrong password or
// identity, a truncated file or a modified segment, whose number the message
// names. Throws IOError when a file cannot be read or written, and
// InvalidOption when a password or identity file is needed but missing.
DecryptResult DecryptFile(const std::string& input_path, const std::string& output_path,
                          const DecryptOptions& options);

}  // namespace sluice
