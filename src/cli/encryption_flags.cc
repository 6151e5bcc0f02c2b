// Flags of `sluice export` that encrypt the output.
#include <memory>

#include "cli/option_groups.h"
#include "cli/password_prompt.h"
#include "core/error.h"

namespace sluice::cli {

namespace {

// Bounds of --scrypt-work-factor, also named in its help text. A derivation at
// 2^10 takes a few milliseconds, and 2^20 fills the 1 GiB table limit of readers.
constexpr int kMinWorkFactor = 10;
constexpr int kMaxWorkFactor = 20;

struct EncryptionFlags {
  CLI::Option* encrypt = nullptr;
  std::string mode;
  std::string password_file;
};

// Sets the mode and fetches the password once every flag is parsed, because
// whether a password is needed depends on --encrypt and --recipient together.
void ResolveEncryption(const EncryptionFlags& flags, EncryptionOptions& options) {
  if (flags.encrypt->count() > 0) {
    if (flags.mode.empty() || flags.mode == "sluice") {
      options.mode = EncryptionMode::kSluice;
    } else if (flags.mode == "age") {
      options.mode = EncryptionMode::kAge;
    } else {
      throw InvalidOption("invalid --encrypt value '" + flags.mode +
                          "': use --encrypt (Sluice container) or --encrypt age");
    }
  } else if (!options.recipients.empty()) {
    options.mode = EncryptionMode::kAge;  // --recipient alone means age
  }
  if (options.mode == EncryptionMode::kSluice && !options.recipients.empty()) {
    throw InvalidOption("--recipient works only with --encrypt age; the Sluice container is password-based");
  }

  bool needs_password = options.mode == EncryptionMode::kSluice ||
                        (options.mode == EncryptionMode::kAge && options.recipients.empty());
  if (needs_password) {
    options.password = ResolvePassword(flags.password_file, /*confirm=*/true);
  }
}

}  // namespace

void AddEncryptionFlags(CLI::App& command, ExportOptions& options) {
  const std::string group = "Encryption";
  auto flags = std::make_shared<EncryptionFlags>();
  flags->encrypt =
      command
          .add_option("--encrypt", flags->mode,
                      "Encrypt the output: --encrypt writes a password-based Sluice container "
                      "(AES-256-GCM, see docs/encryption.md); --encrypt age writes an age v1 file")
          ->expected(0, 1)
          ->group(group);
  command
      .add_option("--recipient", options.encryption.recipients,
                  "age X25519 public key (age1...) to encrypt to; repeat for several. Implies --encrypt age")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->group(group);
  command
      .add_option("--scrypt-work-factor", options.encryption.scrypt_log_n,
                  "scrypt cost of the key derived from the password: N = 2^value, 10 to 20 "
                  "(default 15: 32 MiB of memory, about 0.1 s). Each step doubles the time and memory "
                  "of the derivation, for the export and for anyone guessing the password. Ignored "
                  "without a password, so a configuration file can set it for every export")
      ->check(CLI::Range(kMinWorkFactor, kMaxWorkFactor))
      ->group(group);
  command
      .add_option("--password-file", flags->password_file,
                  "File whose first line is the encryption password (else SLUICE_PASSWORD, else a prompt)")
      ->group(group);

  command.parse_complete_callback(
      [flags, &options] { ResolveEncryption(*flags, options.encryption); });
}

}  // namespace sluice::cli
