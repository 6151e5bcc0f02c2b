#include "transforms/encryption/wrap_with_encryption.h"

#include "core/error.h"
#include "transforms/encryption/age_writer.h"
#include "transforms/encryption/random_source.h"
#include "transforms/encryption/scrypt_kdf.h"
#include "transforms/encryption/sluice_container_writer.h"
#include "transforms/encryption/x25519_recipient.h"

namespace sluice {

namespace {

ScryptParams ScryptFrom(const EncryptionOptions& options) {
  return ScryptParams{options.scrypt_log_n, options.scrypt_r, options.scrypt_p};
}

// Rethrows an InvalidInput from a lower layer as InvalidOption: here the bad
// value came from the export's options, not from data.
template <typename Function>
auto AsOptionError(Function function) {
  try {
    return function();
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::kInvalidInput) {
      throw;
    }
    throw InvalidOption(error.what());
  }
}

}  // namespace

void ValidateEncryptionOptions(const EncryptionOptions& options) {
  if (options.mode == EncryptionMode::kNone) {
    if (!options.recipients.empty()) {
      throw InvalidOption("--recipient needs --encrypt age; add --encrypt age or drop --recipient");
    }
    return;
  }

  if (options.mode == EncryptionMode::kSluice) {
    if (!options.recipients.empty()) {
      throw InvalidOption(
          "--recipient works only with --encrypt age; the Sluice container is password-based");
    }
    if (options.password.empty()) {
      throw InvalidOption(
          "--encrypt needs a password: use --password-file FILE or the SLUICE_PASSWORD environment variable");
    }
    AsOptionError([&] { ValidateScryptParams(ScryptFrom(options), "encryption options"); return 0; });
    return;
  }

  if (options.recipients.empty() && options.password.empty()) {
    throw InvalidOption(
        "--encrypt age needs --recipient age1... or a password (--password-file FILE or SLUICE_PASSWORD)");
  }
  if (!options.recipients.empty() && !options.password.empty()) {
    throw InvalidOption(
        "--encrypt age takes either --recipient keys or a password, not both: age does not mix a passphrase with other recipients");
  }
  for (const std::string& recipient : options.recipients) {
    AsOptionError([&] { return ParseAgeRecipient(recipient); });
  }
  AsOptionError([&] {
    ValidateScryptParams(ScryptParams{options.scrypt_log_n, 8, 1}, "age scrypt work factor");
    return 0;
  });
}

std::unique_ptr<ByteSink> WrapWithEncryption(std::unique_ptr<ByteSink> sink,
                                             const EncryptionOptions& options) {
  ValidateEncryptionOptions(options);
  if (options.mode == EncryptionMode::kNone) {
    return sink;
  }

  RandomSource random(options.test_seed);
  if (options.mode == EncryptionMode::kSluice) {
    return std::make_unique<SluiceContainerWriter>(std::move(sink), options.password,
                                                   ScryptFrom(options), random);
  }

  AgeRecipients recipients;
  recipients.scrypt_log_n = options.scrypt_log_n;
  if (options.recipients.empty()) {
    recipients.passphrase = options.password;
  }
  for (const std::string& recipient : options.recipients) {
    recipients.x25519.push_back(ParseAgeRecipient(recipient));
  }
  return std::make_unique<AgeWriter>(std::move(sink), recipients, random);
}

}  // namespace sluice
