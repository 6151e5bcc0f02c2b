// The subcommands of `sluice`. Each Add* function registers one subcommand
// and the callback that runs it; the callback stores the exit code in
// `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace sluice::cli {

void AddExportCommand(CLI::App& app, int& exit_code);
void AddInspectCommand(CLI::App& app, int& exit_code);
void AddDecryptCommand(CLI::App& app, int& exit_code);
void AddResumeCommand(CLI::App& app, int& exit_code);
void AddExportsCommand(CLI::App& app, int& exit_code);
void AddCancelCommand(CLI::App& app, int& exit_code);

}  // namespace sluice::cli
