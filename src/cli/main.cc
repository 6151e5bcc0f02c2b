// The `sluice` command: a thin front end over libsluice.
#include <csignal>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/layered_arguments.h"
#include "sluice/sluice.h"

namespace {

void SetUpLogging() {
  auto logger = spdlog::stderr_color_mt("sluice");
  logger->set_pattern("sluice: %^%v%$");
  spdlog::set_default_logger(logger);
}

}  // namespace

int main(int argc, char** argv) {
  SetUpLogging();
  // A write past the file size limit (`ulimit -f`) then fails with EFBIG,
  // which is reported like any write error, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);

  CLI::App app{"Sluice exports datasets (CSV, JSON, SQLite, PostgreSQL, Parquet) to CSV, JSON, "
               "NDJSON, Parquet, Avro and XLSX with bounded memory.",
               "sluice"};
  app.set_version_flag("--version", std::string("sluice ") + sluice::Version());
  app.require_subcommand(1);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  int exit_code = sluice::cli::kExitSuccess;
  sluice::cli::AddExportCommand(app, exit_code);
  sluice::cli::AddInspectCommand(app, exit_code);
  sluice::cli::AddDecryptCommand(app, exit_code);
  sluice::cli::AddResumeCommand(app, exit_code);
  sluice::cli::AddExportsCommand(app, exit_code);
  sluice::cli::AddCancelCommand(app, exit_code);

  try {
    std::vector<std::string> arguments = sluice::cli::LayeredArguments(app, argc, argv);
    std::reverse(arguments.begin(), arguments.end());  // CLI11 takes them last to first
    app.parse(arguments);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    spdlog::error("error: {}; run sluice --help for usage", sluice::cli::WithOptionOrigins(error.what()));
    return sluice::cli::kExitUsage;
  } catch (const sluice::Error& error) {
    spdlog::error("error: {}", sluice::cli::WithOptionOrigins(error.what()));
    return sluice::cli::ExitCodeFor(error.kind());
  }
  return exit_code;
}
