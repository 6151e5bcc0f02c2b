// `sluice decrypt IN OUT`: decrypts a Sluice container or an age file.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/password_prompt.h"
#include "cli/signals.h"
#include "core/size.h"
#include "transforms/encryption/decrypt_file.h"

namespace sluice::cli {

namespace {

struct DecryptFlags {
  std::string input;
  std::string output;
  std::string password_file;
  std::vector<std::string> identity_files;
};

int RunDecryptCommand(const DecryptFlags& flags) {
  try {
    // SIGINT and SIGTERM cancel the decryption (exit code 6) so the partial
    // plaintext is removed. The handlers go in after a password prompt,
    // because a handler would keep Ctrl-C from ending the prompt.
    CancellationToken cancel;
    DecryptOptions options;
    options.identity_files = flags.identity_files;
    options.cancel = &cancel;
    options.password = [&flags, &cancel] {
      std::string password = ResolvePassword(flags.password_file, /*confirm=*/false);
      CancelOnSignals(cancel);
      return password;
    };
    if (!flags.identity_files.empty()) CancelOnSignals(cancel);
    DecryptResult result = DecryptFile(flags.input, flags.output, options);
    spdlog::info("decrypted {} ({}) into {}: {}", flags.input, result.format, flags.output,
                 FormatSize(result.plaintext_bytes));
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", error.what());
    return ExitCodeFor(error.kind());
  } catch (const std::exception& error) {
    spdlog::error("error: internal error: {}", error.what());
    return kExitInternal;
  }
}

}  // namespace

void AddDecryptCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<DecryptFlags>();
  CLI::App* command = app.add_subcommand(
      "decrypt",
      "Decrypt a file written with --encrypt (Sluice container) or by age (passphrase or X25519 keys)");
  command->add_option("input", flags->input, "Encrypted file")->required();
  command->add_option("output", flags->output,
                      "Plaintext file to write; it appears only after the whole input verified")
      ->required();
  command->add_option("--password-file", flags->password_file,
                      "File whose first line is the password (else SLUICE_PASSWORD, else a prompt)");
  command->add_option("-i,--identity", flags->identity_files,
                      "age identity file (AGE-SECRET-KEY-1... lines, as age-keygen writes); repeatable")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->callback([flags, &exit_code] { exit_code = RunDecryptCommand(*flags); });
}

}  // namespace sluice::cli
