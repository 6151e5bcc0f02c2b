// Flags of `sluice export` for JSON output.
#include "cli/option_groups.h"

namespace sluice::cli {

void AddJsonFlags(CLI::App& command, ExportOptions& options) {
  command.add_flag("--pretty", options.json_write.pretty,
                   "Indent a JSON array output, one row per line")
      ->group("JSON output");
}

}  // namespace sluice::cli
