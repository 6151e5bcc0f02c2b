#include "cli/layered_arguments.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "core/error.h"

namespace sluice::cli {

namespace {

// Options that only make sense on the command line itself.
const std::set<std::string> kCommandLineOnly = {"help", "config", "version"};

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string Unquote(const std::string& value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// Long option names of a subcommand that a file or the environment may set.
std::set<std::string> SettableNames(const CLI::App& command) {
  std::set<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    const std::vector<std::string>& long_names = option->get_lnames();
    if (long_names.empty() || kCommandLineOnly.count(long_names.front()) > 0) continue;
    names.insert(long_names.front());
  }
  return names;
}

struct FileSetting {
  std::string section;  // "" for settings that apply to every subcommand
  std::string key;
  std::string value;
};

std::vector<FileSetting> ReadConfigFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw InvalidOption("cannot read configuration file " + path +
                        ": check the path given with --config or SLUICE_CONFIG");
  }
  std::vector<FileSetting> settings;
  std::string section;
  std::string line;
  int line_number = 0;
  while (std::getline(file, line)) {
    ++line_number;
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(line.substr(1, line.size() - 2));
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string::npos) {
      throw InvalidOption("invalid line " + std::to_string(line_number) + " in configuration file " +
                          path + ": write key = value, for example chunk-size = 1MB");
    }
    settings.push_back(FileSetting{section, Trim(line.substr(0, equals)),
                                   Unquote(Trim(line.substr(equals + 1)))});
  }
  return settings;
}

std::string FindConfigPath(const std::vector<std::string>& arguments) {
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--config" && i + 1 < arguments.size()) return arguments[i + 1];
    if (arguments[i].rfind("--config=", 0) == 0) return arguments[i].substr(9);
  }
  const char* from_environment = std::getenv("SLUICE_CONFIG");
  return from_environment != nullptr ? from_environment : "";
}

// Returns the origin of each option value that did not come from the command
// line, such as "--bom" -> "SLUICE_BOM". LayeredArguments fills it.
std::map<std::string, std::string>& OptionOrigins() {
  static std::map<std::string, std::string> origins;
  return origins;
}

bool GivenOnCommandLine(const std::vector<std::string>& user, const std::string& flag) {
  for (const std::string& argument : user) {
    if (argument == flag || argument.rfind(flag + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

std::string WithOptionOrigins(const std::string& message) {
  std::string result = message;
  for (const auto& [flag, origin] : OptionOrigins()) {
    size_t at = 0;
    while ((at = result.find(flag, at)) != std::string::npos) {
      size_t end = at + flag.size();
      bool whole = end == result.size() || !(std::isalnum(static_cast<unsigned char>(result[end])) || result[end] == '-');
      if (!whole) {
        at = end;
        continue;
      }
      std::string note = " (set by " + origin + ")";
      result.insert(end, note);
      at = end + note.size();
    }
  }
  return result;
}

std::string EnvironmentName(const std::string& long_name) {
  std::string name = "SLUICE_";
  for (char c : long_name) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

std::vector<std::string> LayeredArguments(const CLI::App& app, int argc, char** argv) {
  std::vector<std::string> user(argv + 1, argv + argc);

  // The subcommand is the first argument that is not an option.
  size_t subcommand_index = 0;
  while (subcommand_index < user.size() && user[subcommand_index].rfind("-", 0) == 0) {
    ++subcommand_index;
  }
  if (subcommand_index == user.size()) return user;
  const std::string& name = user[subcommand_index];
  const CLI::App* command = nullptr;
  for (const CLI::App* candidate : app.get_subcommands({})) {
    if (candidate->get_name() == name) command = candidate;
  }
  if (command == nullptr) return user;

  std::set<std::string> settable = SettableNames(*command);
  std::set<std::string> known_anywhere;
  for (const CLI::App* candidate : app.get_subcommands({})) {
    std::set<std::string> names = SettableNames(*candidate);
    known_anywhere.insert(names.begin(), names.end());
  }

  std::vector<std::string> layered(user.begin(), user.begin() + static_cast<long>(subcommand_index) + 1);

  std::string config_path = FindConfigPath(user);
  if (!config_path.empty()) {
    for (const FileSetting& setting : ReadConfigFile(config_path)) {
      if (known_anywhere.count(setting.key) == 0) {
        throw InvalidOption("unknown setting '" + setting.key + "' in configuration file " +
                            config_path + ": use the long name of a command-line option, "
                            "such as chunk-size");
      }
      bool applies = setting.section.empty() || setting.section == name;
      if (applies && settable.count(setting.key) > 0) {
        layered.push_back("--" + setting.key + "=" + setting.value);
        OptionOrigins()["--" + setting.key] = "configuration file " + config_path;
      }
    }
  }

  for (const std::string& option : settable) {
    const char* value = std::getenv(EnvironmentName(option).c_str());
    if (value != nullptr && *value != '\0') {
      layered.push_back("--" + option + "=" + value);
      OptionOrigins()["--" + option] = EnvironmentName(option);
    }
  }
  // A flag on the command line overrides the other layers, so its errors
  // are about the value typed there.
  for (auto it = OptionOrigins().begin(); it != OptionOrigins().end();) {
    it = GivenOnCommandLine(user, it->first) ? OptionOrigins().erase(it) : std::next(it);
  }

  layered.insert(layered.end(), user.begin() + static_cast<long>(subcommand_index) + 1, user.end());
  return layered;
}

}  // namespace sluice::cli
