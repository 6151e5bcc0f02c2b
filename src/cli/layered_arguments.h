// Layered configuration for the command line: a configuration file, then
// SLUICE_* environment variables, then the flags given, each later layer
// overriding the earlier ones.
//
// The layers are merged into one argument list that CLI11 parses with
// "take the last value" for every option, so all three go through the same
// validation and the same error messages.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace sluice::cli {

// Returns the arguments (without the program name) to parse: the subcommand
// name, then options from the configuration file (--config FILE or the
// SLUICE_CONFIG variable), then options from the environment, then the
// user's own arguments. Throws sluice::Error (kInvalidOption) for an
// unreadable file or an unknown key in it.
std::vector<std::string> LayeredArguments(const CLI::App& app, int argc, char** argv);

// Returns `message` with the origin of each option it names whose value came
// from the environment or a configuration file rather than the command line:
// "--bom" becomes "--bom (set by SLUICE_BOM)". Uses the origins recorded by
// the last LayeredArguments call.
std::string WithOptionOrigins(const std::string& message);

// The environment variable for an option: "chunk-size" -> SLUICE_CHUNK_SIZE.
std::string EnvironmentName(const std::string& long_name);

}  // namespace sluice::cli
