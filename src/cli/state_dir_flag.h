// The --state-dir flag that the export, resume, exports and cancel commands
// share: where the job store lives.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "pipeline/job_store.h"

namespace sluice::cli {

inline void AddStateDirFlag(CLI::App& command, std::string& state_dir) {
  command.add_option("--state-dir", state_dir,
                     "Directory of the job store that records exports for resume "
                     "(default: $XDG_DATA_HOME/sluice or ~/.local/share/sluice)");
}

// Returns `flag`, or the default state directory when it is empty.
inline std::string ResolveStateDir(const std::string& flag) {
  return flag.empty() ? JobStore::DefaultDirectory() : flag;
}

}  // namespace sluice::cli
