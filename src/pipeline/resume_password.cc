#include "pipeline/resume_password.h"

#include <fstream>

#include "transforms/encryption/sluice_container_format.h"

namespace sluice {

namespace {

// Returns the container header at the start of `path`, or "" when the file
// is missing, shorter than a header or not a Sluice container.
std::string HeaderOf(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string header(kContainerHeaderBytes, '\0');
  if (!file.read(header.data(), static_cast<std::streamsize>(header.size()))) return "";
  return header.compare(0, kContainerMagic.size(), kContainerMagic) == 0 ? header : "";
}

}  // namespace

void CheckRecordedPassword(const std::string& password, const std::string& upload_head,
                           const std::set<std::string>& files, const std::string& label) {
  std::string header;
  if (upload_head.size() == kContainerHeaderBytes &&
      upload_head.compare(0, kContainerMagic.size(), kContainerMagic) == 0) {
    header = upload_head;
  }
  for (auto path = files.begin(); header.empty() && path != files.end(); ++path) header = HeaderOf(*path);
  if (header.empty()) return;

  ContainerParams params = DecodeContainerFields(std::string_view(header).substr(0, kContainerFieldsBytes), label);
  ContainerKeys keys = DeriveContainerKeys(password, params);
  CheckContainerHeaderMac(header, keys, label);
}

}  // namespace sluice
