#include "pipeline/source_fingerprint.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace sluice {

namespace {

constexpr size_t kHashedPrefixBytes = 64 * 1024;

// The file behind a source string, or "" for generated and remote sources.
std::string SourceFilePath(const std::string& source) {
  if (source.rfind("gen:", 0) == 0 || source.rfind("postgresql://", 0) == 0 ||
      source.rfind("postgres://", 0) == 0) {
    return "";
  }
  if (source.rfind("sqlite:", 0) == 0) return source.substr(7, source.find('?') - 7);
  return source;
}

std::string HashPrefix(int fd) {
  std::vector<unsigned char> buffer(kHashedPrefixBytes);
  size_t filled = 0;
  while (filled < buffer.size()) {
    ssize_t count = ::pread(fd, buffer.data() + filled, buffer.size() - filled, static_cast<off_t>(filled));
    if (count <= 0) break;
    filled += static_cast<size_t>(count);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(buffer.data(), filled, digest, &length, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace

std::string SourceFingerprint(const ExportOptions& options, const Source& source) {
  nlohmann::json json = nlohmann::json::object();
  std::string path = SourceFilePath(options.source);
  if (!path.empty()) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd >= 0 && ::fstat(fd, &info) == 0) {
      json["size"] = static_cast<uint64_t>(info.st_size);
      json["mtimeNs"] = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
      json["sha256First64KiB"] = HashPrefix(fd);
    }
    if (fd >= 0) ::close(fd);
  }
  SourceProgress progress = source.progress();
  if (progress.total_rows) json["totalRows"] = *progress.total_rows;
  return json.dump();
}

std::string DescribeSourceChange(const std::string& before_text, const std::string& after_text) {
  if (before_text.empty()) return "";
  nlohmann::json before = nlohmann::json::parse(before_text, nullptr, false);
  nlohmann::json after = nlohmann::json::parse(after_text, nullptr, false);
  if (before.is_discarded() || after.is_discarded()) return "its recorded description is unreadable";

  std::string changes;
  auto add = [&](const std::string& change) { changes += (changes.empty() ? "" : "; ") + change; };
  auto number = [](const nlohmann::json& json, const char* key) {
    return json.contains(key) ? json.at(key).dump() : std::string("unknown");
  };
  if (before.value("size", nlohmann::json()) != after.value("size", nlohmann::json())) {
    add("size changed from " + number(before, "size") + " to " + number(after, "size") + " bytes");
  }
  if (before.value("mtimeNs", nlohmann::json()) != after.value("mtimeNs", nlohmann::json())) {
    add("modification time changed");
  }
  if (before.value("sha256First64KiB", nlohmann::json()) != after.value("sha256First64KiB", nlohmann::json())) {
    add("the first 64 KiB changed");
  }
  if (before.value("totalRows", nlohmann::json()) != after.value("totalRows", nlohmann::json())) {
    add("row count or estimate changed from " + number(before, "totalRows") + " to " +
        number(after, "totalRows"));
  }
  return changes;
}

}  // namespace sluice
