// AwsCredentials: the access key for S3 requests, found the way the AWS CLI
// finds it, but never from the command line.
//
// Order: the profile named by --aws-profile in the shared credentials file;
// else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; else
// the profile AWS_PROFILE (or "default") in the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials).
#pragma once

#include <map>
#include <string>

namespace sluice {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // secret: never logged
  std::string session_token;      // secret; empty for long-term keys
};

// Throws InvalidOption naming the profile and the file when the requested
// profile is missing or no credentials are found anywhere.
AwsCredentials LoadAwsCredentials(const std::string& profile_option);

// The region: `region_option`, else AWS_REGION, AWS_DEFAULT_REGION, the
// profile's region in the config file (AWS_CONFIG_FILE, default
// ~/.aws/config), else us-east-1.
std::string ResolveAwsRegion(const std::string& region_option, const std::string& profile_option);

// Parses INI text into section -> key -> value, keys in lower case, values
// trimmed; "#" and ";" start comment lines.
std::map<std::string, std::map<std::string, std::string>> ParseIni(const std::string& text);

}  // namespace sluice
