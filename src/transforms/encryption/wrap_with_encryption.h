// Builds the encrypting sink an export's options ask for.
#pragma once

#include <memory>

#include "sinks/byte_sink.h"
#include "sluice/options.h"

namespace sluice {

// Throws InvalidOption for options that cannot work: a missing password,
// --recipient without age mode, a password together with recipients in age
// mode, an invalid recipient, or scrypt costs outside the accepted bounds.
void ValidateEncryptionOptions(const EncryptionOptions& options);

// Returns `sink` unchanged when options.mode is kNone, and otherwise a sink
// that encrypts into it (a Sluice container or an age file). The returned
// sink owns `sink`. Runs scrypt for password modes, which takes about as long
// as options.scrypt_log_n asks for.
std::unique_ptr<ByteSink> WrapWithEncryption(std::unique_ptr<ByteSink> sink,
                                             const EncryptionOptions& options);

}  // namespace sluice
