#include "pipeline/local_destination.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <memory>

#include "core/error.h"
#include "sinks/cloud/cloud_destination.h"

namespace sluice {

namespace {

bool IsLocalPath(const std::string& destination) {
  return !destination.empty() && destination != "-" && !IsCloudDestination(destination);
}

// Returns the file path inside a source argument: "sqlite:PATH?..." gives
// PATH, a URL or generator gives "", a plain path returns unchanged.
std::string SourceFilePath(const std::string& source) {
  if (source.rfind("sqlite:", 0) == 0) {
    std::string rest = source.substr(7);
    return rest.substr(0, rest.find('?'));
  }
  if (source.rfind("gen:", 0) == 0 || source.find("://") != std::string::npos || source == "-") return "";
  return source;
}

}  // namespace

std::string ResolveDestinationLink(const std::string& destination) {
  struct stat info;
  if (!IsLocalPath(destination) || ::lstat(destination.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) {
    return destination;
  }
  std::unique_ptr<char, decltype(&std::free)> target(::realpath(destination.c_str(), nullptr), &std::free);
  if (target == nullptr) {
    throw InvalidOption("invalid destination " + destination +
                        ": it is a symbolic link whose target does not exist; pass the target's path "
                        "or remove the link");
  }
  return target.get();
}

void CheckDestinationFile(const ExportOptions& options) {
  const std::string& destination = options.destination;
  struct stat output;
  if (!IsLocalPath(destination) || ::stat(destination.c_str(), &output) != 0) return;
  if (S_ISDIR(output.st_mode)) {
    throw InvalidOption("invalid destination " + destination +
                        ": it is a directory; pass a file name, such as " + destination + "/export.csv");
  }

  std::string source = SourceFilePath(options.source);
  struct stat input;
  if (!source.empty() && ::stat(source.c_str(), &input) == 0 && input.st_dev == output.st_dev &&
      input.st_ino == output.st_ino) {
    throw InvalidOption("invalid destination " + destination + ": it is the same file as the source " +
                        options.source + "; choose another destination");
  }
}

}  // namespace sluice
