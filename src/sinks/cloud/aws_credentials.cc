#include "sinks/cloud/aws_credentials.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sluice {

namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string HomePath(const char* relative) {
  std::string home = Environment("HOME");
  return home.empty() ? "" : home + "/" + relative;
}

std::string CredentialsFilePath() {
  std::string path = Environment("AWS_SHARED_CREDENTIALS_FILE");
  return path.empty() ? HomePath(".aws/credentials") : path;
}

std::string ConfigFilePath() {
  std::string path = Environment("AWS_CONFIG_FILE");
  return path.empty() ? HomePath(".aws/config") : path;
}

bool ReadFile(const std::string& path, std::string& text) {
  if (path.empty()) return false;
  std::ifstream file(path);
  if (!file) return false;
  std::ostringstream content;
  content << file.rdbuf();
  text = content.str();
  return true;
}

std::string ProfileName(const std::string& profile_option) {
  if (!profile_option.empty()) return profile_option;
  std::string profile = Environment("AWS_PROFILE");
  return profile.empty() ? "default" : profile;
}

}  // namespace

std::map<std::string, std::map<std::string, std::string>> ParseIni(const std::string& text) {
  std::map<std::string, std::map<std::string, std::string>> sections;
  std::string section;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(line.substr(1, line.size() - 2));
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string key = Trim(line.substr(0, equals));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sections[section][key] = Trim(line.substr(equals + 1));
  }
  return sections;
}

AwsCredentials LoadAwsCredentials(const std::string& profile_option) {
  AwsCredentials credentials;
  if (profile_option.empty()) {
    credentials.access_key_id = Environment("AWS_ACCESS_KEY_ID");
    credentials.secret_access_key = Environment("AWS_SECRET_ACCESS_KEY");
    credentials.session_token = Environment("AWS_SESSION_TOKEN");
    if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) {
      return credentials;
    }
  }

  std::string profile = ProfileName(profile_option);
  std::string path = CredentialsFilePath();
  std::string text;
  bool found_file = ReadFile(path, text);
  auto sections = ParseIni(text);
  auto entry = sections.find(profile);
  if (!found_file || entry == sections.end()) {
    if (!profile_option.empty() || !Environment("AWS_PROFILE").empty()) {
      throw InvalidOption("AWS profile '" + profile + "' not found in " +
                          (path.empty() ? std::string("~/.aws/credentials") : path) +
                          "; add it there or choose another profile");
    }
    throw InvalidOption(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a "
        "[default] profile to ~/.aws/credentials (or the file AWS_SHARED_CREDENTIALS_FILE names)");
  }
  credentials.access_key_id = entry->second["aws_access_key_id"];
  credentials.secret_access_key = entry->second["aws_secret_access_key"];
  credentials.session_token = entry->second["aws_session_token"];
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    throw InvalidOption("AWS profile '" + profile + "' in " + path +
                        " lacks aws_access_key_id or aws_secret_access_key; add both");
  }
  return credentials;
}

std::string ResolveAwsRegion(const std::string& region_option, const std::string& profile_option) {
  if (!region_option.empty()) return region_option;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    std::string region = Environment(name);
    if (!region.empty()) return region;
  }
  std::string text;
  if (ReadFile(ConfigFilePath(), text)) {
    std::string profile = ProfileName(profile_option);
    auto sections = ParseIni(text);
    // The config file names sections "default" and "profile NAME".
    for (const std::string& section : {profile == "default" ? profile : "profile " + profile, profile}) {
      auto entry = sections.find(section);
      if (entry != sections.end() && !entry->second["region"].empty()) return entry->second["region"];
    }
  }
  return "us-east-1";
}

}  // namespace sluice
