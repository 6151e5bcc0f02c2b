// `sluice resume ID`: continues an interrupted or failed export from its
// newest durable checkpoint.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/password_prompt.h"
#include "cli/progress_reporter.h"
#include "cli/signals.h"
#include "cli/state_dir_flag.h"
#include "core/size.h"
#include "pipeline/resume.h"

namespace sluice::cli {

namespace {

struct ResumeFlags {
  std::string export_id;
  std::string state_dir;
  std::string password_file;
  std::string progress = "auto";
  bool allow_changed_source = false;
  bool quiet = false;
};

int RunResumeCommand(const ResumeFlags& flags) {
  try {
    if (flags.quiet) spdlog::set_level(spdlog::level::warn);
    ResumeRequest request;
    request.export_id = flags.export_id;
    request.state_dir = ResolveStateDir(flags.state_dir);
    request.allow_changed_source = flags.allow_changed_source;
    // The password is never stored, so an encrypted export prompts for it again.
    if (ResumeNeedsPassword(request.state_dir, request.export_id)) {
      request.password = ResolvePassword(flags.password_file, /*confirm=*/false);
    }

    ProgressReporter reporter(ParseProgressMode(flags.progress));
    CancellationToken cancel;
    CancelOnSignals(cancel);
    ProgressCallback on_progress = [&](const ExportProgress& progress) { reporter.report(progress); };
    auto on_start = [&](const std::string& from) {
      spdlog::info("export {} resumed {}", request.export_id, from);
    };

    ResumeOutcome outcome;
    try {
      outcome = ResumeExport(request, on_progress, &cancel, on_start);
    } catch (...) {
      reporter.close();
      throw;
    }
    reporter.close();
    const ExportResult& result = outcome.result;
    spdlog::info("export {} finished: {} rows, {} written in {:.2f} s, peak memory {} resident, {} reserved",
                 result.export_id, result.records_exported, FormatSize(result.bytes_written), result.seconds,
                 FormatSize(result.peak_rss_bytes), FormatSize(result.peak_reserved_bytes));
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", error.what());
    return ExitCodeFor(error.kind());
  } catch (const std::exception& error) {
    spdlog::error("error: internal error: {}", error.what());
    return kExitInternal;
  }
}

}  // namespace

void AddResumeCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ResumeFlags>();
  CLI::App* command = app.add_subcommand(
      "resume", "Continue an interrupted or failed export from its last checkpoint");
  command->add_option("id", flags->export_id, "Id of the export, as sluice export printed it")->required();
  AddStateDirFlag(*command, flags->state_dir);
  command->add_option("--password-file", flags->password_file,
                      "File whose first line is the encryption password (else SLUICE_PASSWORD, else a prompt)");
  command->add_flag("--allow-changed-source", flags->allow_changed_source,
                    "Resume even though the source's size, modification time, first 64 KiB or row count changed");
  command->add_option("--progress", flags->progress, "Progress display: auto, bar, json or none");
  command->add_flag("-q,--quiet", flags->quiet, "Print errors only");
  command->callback([flags, &exit_code]() { exit_code = RunResumeCommand(*flags); });
}

}  // namespace sluice::cli
