#include "transforms/encryption/decrypt_file.h"

#include <fstream>
#include <optional>

#include "core/error.h"
#include "sinks/file_sink.h"
#include "transforms/encryption/age_reader.h"
#include "transforms/encryption/sluice_container_format.h"
#include "transforms/encryption/sluice_container_reader.h"

namespace sluice {

namespace {

constexpr std::string_view kAgeMagic = "age-encryption.org/";
constexpr std::string_view kAgeArmorMagic = "-----BEGIN AGE ENCRYPTED FILE-----";

std::string PeekPrefix(std::istream& in, size_t size) {
  std::string prefix(size, '\0');
  in.read(prefix.data(), static_cast<std::streamsize>(size));
  prefix.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  return prefix;
}

std::string RequirePassword(const DecryptOptions& options, const std::string& input_path) {
  std::string password = options.password ? options.password() : std::string();
  if (password.empty()) {
    throw InvalidOption(input_path +
                        " is password-protected: supply the password with --password-file FILE or SLUICE_PASSWORD");
  }
  return password;
}

void UnlockAge(AgeReader& reader, const std::string& input_path, const DecryptOptions& options) {
  if (reader.needs_passphrase()) {
    reader.unlock_with_passphrase(RequirePassword(options, input_path));
    return;
  }

  if (options.identity_files.empty()) {
    throw InvalidOption(input_path +
                        " is encrypted to age public keys: pass the matching key file with --identity FILE");
  }
  std::vector<X25519Key> identities;
  for (const std::string& path : options.identity_files) {
    std::vector<X25519Key> keys = ReadAgeIdentityFile(path);
    identities.insert(identities.end(), keys.begin(), keys.end());
  }
  reader.unlock_with_identities(identities);
}

// Passes writes to a FileSink and stops the decryption with ErrorKind::kCancelled
// once `cancel` is set, so that destroying the FileSink removes the
// temporary file with the plaintext written so far.
class CancellableFileSink : public ByteSink {
 public:
  CancellableFileSink(const std::string& path, const CancellationToken* cancel) : file_(path), cancel_(cancel) {}

  void write(std::string_view data) override {
    check_cancelled();
    file_.write(data);
  }
  void commit() override {
    check_cancelled();
    file_.commit();
  }
  void abort() noexcept override { file_.abort(); }
  uint64_t bytes_written() const override { return file_.bytes_written(); }

 private:
  void check_cancelled() {
    if (cancel_ != nullptr && cancel_->cancelled()) {
      file_.abort();
      throw Error(ErrorKind::kCancelled, "decryption cancelled; the partial output was removed");
    }
  }

  FileSink file_;
  const CancellationToken* cancel_;
};

}  // namespace

DecryptResult DecryptFile(const std::string& input_path, const std::string& output_path,
                          const DecryptOptions& options) {
  std::ifstream in(input_path, std::ios::binary);
  if (!in) {
    throw IOError("cannot open " + input_path + " for reading; check the path and permissions");
  }

  std::string prefix = PeekPrefix(in, kAgeArmorMagic.size());
  DecryptResult result;
  if (prefix.rfind(kContainerMagic, 0) == 0) {
    result.format = "sluice";
  } else if (prefix.rfind(kAgeMagic, 0) == 0) {
    result.format = "age";
  } else if (prefix.rfind(kAgeArmorMagic, 0) == 0) {
    throw InvalidInput(input_path +
                       " is an ASCII-armored age file, which is not supported; convert it with age -d or write it without --armor");
  } else {
    throw InvalidInput(input_path + " is not an encrypted file: it starts with neither the Sluice magic \"SLUICENC\" nor an age header");
  }

  // The output is opened only after the password or identity is checked, so
  // a wrong one leaves no file. FileSink writes to a hidden temporary name
  // and deletes it unless commit() runs, so plaintext reaches output_path
  // only after the final segment verified.
  if (result.format == "sluice") {
    SluiceContainerReader reader(in, input_path);
    reader.unlock(RequirePassword(options, input_path));
    CancellableFileSink out(output_path, options.cancel);
    result.plaintext_bytes = reader.decrypt_to(out);
    out.commit();
  } else {
    AgeReader reader(in, input_path);
    UnlockAge(reader, input_path, options);
    CancellableFileSink out(output_path, options.cancel);
    result.plaintext_bytes = reader.decrypt_to(out);
    out.commit();
  }
  return result;
}

}  // namespace sluice
