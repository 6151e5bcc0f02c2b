#include "pipeline/manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "sinks/cloud/cloud_sink_factory.h"

namespace sluice {

namespace {

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void WriteFileAtomically(const std::string& path, const std::string& contents) {
  std::string temporary = path + ".sluice-tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw IOError("cannot write manifest " + path + ": " + std::strerror(errno));
  }
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t written = ::write(fd, contents.data() + done, contents.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      ::unlink(temporary.c_str());
      throw IOError("cannot write manifest " + path + ": " + std::strerror(error));
    }
    done += static_cast<size_t>(written);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    throw IOError("cannot write manifest " + path + ": " + std::strerror(error));
  }
}

}  // namespace

std::string PartPath(const std::string& destination, size_t part_number) {
  std::string stem = destination;
  std::string suffix;
  for (const char* compressed : {".gz", ".zst"}) {
    if (EndsWith(stem, compressed)) {
      suffix = compressed;
      stem.resize(stem.size() - suffix.size());
    }
  }
  size_t dot = stem.rfind('.');
  size_t slash = stem.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash + 1)) {
    suffix = stem.substr(dot) + suffix;
    stem.resize(dot);
  }
  char number[32];
  std::snprintf(number, sizeof number, ".part-%05zu", part_number);
  return stem + number + suffix;
}

std::string ManifestPath(const std::string& destination) { return destination + ".manifest.json"; }

std::string ManifestJson(const std::string& export_id, const std::string& format,
                         const std::vector<OutputFile>& parts) {
  nlohmann::ordered_json manifest;
  manifest["exportId"] = export_id;
  manifest["format"] = format;
  uint64_t total_rows = 0;
  uint64_t total_bytes = 0;
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const OutputFile& part : parts) {
    entries.push_back({{"path", BaseName(part.path)},
                       {"rows", part.rows},
                       {"bytes", part.bytes},
                       {"sha256", part.sha256}});
    total_rows += part.rows;
    total_bytes += part.bytes;
  }
  manifest["totalRows"] = total_rows;
  manifest["totalBytes"] = total_bytes;
  manifest["parts"] = std::move(entries);
  return manifest.dump(2) + "\n";
}

void WriteManifest(const std::string& path, const std::string& export_id,
                   const std::string& format, const std::vector<OutputFile>& parts) {
  WriteFileAtomically(path, ManifestJson(export_id, format, parts));
}

void UploadManifest(const std::string& url, const std::string& export_id, const std::string& format,
                    const std::vector<OutputFile>& parts, const ExportOptions& options) {
  std::unique_ptr<MultipartSink> sink = MakeCloudSink(url, options);
  sink->write(ManifestJson(export_id, format, parts));
  sink->commit();
}

}  // namespace sluice
