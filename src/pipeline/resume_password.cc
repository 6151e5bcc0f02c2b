#include "pipeline/resume_password.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

#include "sluice/error.h"
#include "transforms/encryption/age_reader.h"
#include "transforms/encryption/sluice_container_format.h"

namespace sluice {

namespace {

constexpr std::string_view kAgeMagic = "age-encryption.org/";

bool IsContainerHeader(std::string_view bytes) {
  return bytes.size() >= kContainerHeaderBytes && bytes.substr(0, kContainerMagic.size()) == kContainerMagic;
}

void CheckContainerPassword(const std::string& password, const std::string& header, const std::string& label) {
  ContainerParams params = DecodeContainerFields(std::string_view(header).substr(0, kContainerFieldsBytes), label);
  ContainerKeys keys = DeriveContainerKeys(password, params);
  CheckContainerHeaderMac(header, keys, label);
}

// Checks `password` against the age header at the start of `in` and returns
// true. Returns false when the header is cut short, as in a part killed while
// its header was written. A header with X25519 recipients passes unchecked.
bool CheckAgePassword(const std::string& password, std::istream& in, const std::string& label) {
  std::optional<AgeReader> reader;
  try {
    reader.emplace(in, label);
  } catch (const Error&) {
    if (in.eof()) return false;
    throw;
  }
  if (reader->needs_passphrase()) reader->unlock_with_passphrase(password);
  return true;
}

// Checks the password against the header at the start of `path` and returns
// true, or returns false when the file is missing or starts with no whole
// container or age header.
bool CheckFileHeader(const std::string& password, const std::string& path, const std::string& label) {
  std::ifstream file(path, std::ios::binary);
  std::string header(kContainerHeaderBytes, '\0');
  file.read(header.data(), static_cast<std::streamsize>(header.size()));
  header.resize(static_cast<size_t>(file.gcount()));
  if (IsContainerHeader(header)) {
    CheckContainerPassword(password, header, label);
    return true;
  }
  if (header.rfind(kAgeMagic, 0) != 0) return false;

  file.clear();
  file.seekg(0);
  return CheckAgePassword(password, file, label);
}

}  // namespace

void CheckRecordedPassword(const std::string& password, const std::string& upload_head,
                           const std::set<std::string>& files, const std::string& label) {
  if (IsContainerHeader(upload_head)) {
    CheckContainerPassword(password, upload_head.substr(0, kContainerHeaderBytes), label);
    return;
  }
  if (upload_head.rfind(kAgeMagic, 0) == 0) {
    std::istringstream head(upload_head);
    if (CheckAgePassword(password, head, label)) return;
  }
  for (const std::string& path : files) {
    if (CheckFileHeader(password, path, label)) return;
  }
}

}  // namespace sluice
