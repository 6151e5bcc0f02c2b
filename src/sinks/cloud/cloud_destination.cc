#include "sinks/cloud/cloud_destination.h"

#include <string_view>

#include "core/error.h"

namespace sluice {

namespace {

constexpr std::string_view kAzureHostSuffix = ".blob.core.windows.net";

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The host of an https:// URL, or "" when `url` is not one.
std::string_view HttpsHost(std::string_view url) {
  if (!StartsWith(url, "https://")) return "";
  std::string_view rest = url.substr(8);
  return rest.substr(0, rest.find('/'));
}

// Splits "first/rest" at the first slash.
bool SplitFirst(std::string_view text, std::string& first, std::string& rest) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  first = std::string(text.substr(0, slash));
  rest = std::string(text.substr(slash + 1));
  return !rest.empty();
}

Error Malformed(const std::string& url, const char* form) {
  return InvalidOption("invalid destination '" + url + "': write it as " + form);
}

}  // namespace

bool IsCloudDestination(const std::string& destination) {
  return StartsWith(destination, "s3://") || StartsWith(destination, "azure://") ||
         StartsWith(destination, "gs://") || EndsWith(HttpsHost(destination), kAzureHostSuffix);
}

CloudDestination ParseCloudDestination(const std::string& destination) {
  CloudDestination parsed;
  parsed.url = destination;
  if (destination.find('?') != std::string::npos || destination.find('#') != std::string::npos) {
    std::string shown = destination.substr(0, destination.find_first_of("?#"));
    throw InvalidOption("invalid destination '" + shown +
                        "?...': a cloud destination takes no query string; pass a SAS token in "
                        "AZURE_STORAGE_SAS_TOKEN instead");
  }

  if (StartsWith(destination, "s3://")) {
    parsed.provider = CloudProvider::kS3;
    if (!SplitFirst(std::string_view(destination).substr(5), parsed.bucket, parsed.key)) {
      throw Malformed(destination, "s3://BUCKET/KEY");
    }
  } else if (StartsWith(destination, "gs://")) {
    parsed.provider = CloudProvider::kGcs;
    if (!SplitFirst(std::string_view(destination).substr(5), parsed.bucket, parsed.key)) {
      throw Malformed(destination, "gs://BUCKET/OBJECT");
    }
  } else if (StartsWith(destination, "azure://")) {
    parsed.provider = CloudProvider::kAzure;
    std::string rest;
    if (!SplitFirst(std::string_view(destination).substr(8), parsed.account, rest) ||
        !SplitFirst(rest, parsed.bucket, parsed.key)) {
      throw Malformed(destination, "azure://ACCOUNT/CONTAINER/BLOB");
    }
  } else if (EndsWith(HttpsHost(destination), kAzureHostSuffix)) {
    parsed.provider = CloudProvider::kAzure;
    std::string_view host = HttpsHost(destination);
    parsed.account = std::string(host.substr(0, host.size() - kAzureHostSuffix.size()));
    std::string_view path = std::string_view(destination).substr(8 + host.size());
    if (path.empty() || !SplitFirst(path.substr(1), parsed.bucket, parsed.key)) {
      throw Malformed(destination, "https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB");
    }
  } else {
    throw InvalidOption("invalid destination '" + destination +
                        "': not an s3://, azure://, gs:// or Azure blob https:// URL");
  }
  return parsed;
}

const char* ProviderName(CloudProvider provider) {
  switch (provider) {
    case CloudProvider::kS3:
      return "S3";
    case CloudProvider::kAzure:
      return "Azure Blob Storage";
    case CloudProvider::kGcs:
      return "GCS";
  }
  return "cloud";
}

}  // namespace sluice
