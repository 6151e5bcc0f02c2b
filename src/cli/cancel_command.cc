// `sluice cancel ID`: stops an export and removes its partial output.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/state_dir_flag.h"
#include "pipeline/resume.h"

namespace sluice::cli {

namespace {

struct CancelFlags {
  std::string export_id;
  std::string state_dir;
};

int RunCancelCommand(const CancelFlags& flags) {
  try {
    CancelOutcome outcome = CancelExport(ResolveStateDir(flags.state_dir), flags.export_id);
    for (const std::string& path : outcome.removed) spdlog::info("export {}: removed {}", flags.export_id, path);
    for (const std::string& warning : outcome.warnings) spdlog::warn("export {}: {}", flags.export_id, warning);
    // The export is cancelled even when its upload could not be removed, so
    // the exit code stays 0 and the warning names what is left to remove.
    spdlog::info("export {} cancelled", flags.export_id);
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", error.what());
    return ExitCodeFor(error.kind());
  }
}

}  // namespace

void AddCancelCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<CancelFlags>();
  CLI::App* command = app.add_subcommand(
      "cancel", "Stop an export (also one running in another process) and remove its partial output");
  command->add_option("id", flags->export_id, "Id of the export")->required();
  AddStateDirFlag(*command, flags->state_dir);
  command->callback([flags, &exit_code]() { exit_code = RunCancelCommand(*flags); });
}

}  // namespace sluice::cli
