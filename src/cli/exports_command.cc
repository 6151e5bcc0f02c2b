// `sluice exports`: lists the exports in the job store with their state and
// progress.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/state_dir_flag.h"
#include "core/size.h"
#include "pipeline/options_json.h"
#include "pipeline/resume.h"

namespace sluice::cli {

namespace {

struct ExportsFlags {
  std::string state_dir;
  bool json = false;
};

// "running" for an export whose process is gone reads "interrupted".
std::string DisplayState(const ExportRecord& record) {
  if (record.state == ExportState::kRunning && !ProcessAlive(record.pid)) return "interrupted";
  return ExportStateName(record.state);
}

nlohmann::json RecordJson(const ExportRecord& record) {
  ExportOptions options = OptionsFromJson(record.options_json);
  nlohmann::json json = {
      {"id", record.id},
      {"state", ExportStateName(record.state)},
      {"processAlive", record.state == ExportState::kRunning && ProcessAlive(record.pid)},
      {"resumable", record.resumable},
      {"percentComplete", record.percent},
      {"recordsExported", record.records},
      {"totalRecords", record.total_records ? nlohmann::json(*record.total_records) : nlohmann::json()},
      {"bytesWritten", record.bytes},
      {"source", options.source},
      {"destination", options.destination},
      {"format", record.format},
      {"error", record.error},
      {"createdAt", record.created_at},
      {"updatedAt", record.updated_at},
  };
  return json;
}

int RunExportsCommand(const ExportsFlags& flags) {
  try {
    JobStore store(ResolveStateDir(flags.state_dir));
    std::vector<ExportRecord> records = store.list();
    if (flags.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const ExportRecord& record : records) list.push_back(RecordJson(record));
      std::printf("%s\n", list.dump(2).c_str());
      return kExitSuccess;
    }
    std::printf("%-16s  %-11s  %6s  %12s  %9s  %s\n", "ID", "STATE", "DONE", "ROWS", "BYTES", "DESTINATION");
    for (const ExportRecord& record : records) {
      ExportOptions options = OptionsFromJson(record.options_json);
      std::printf("%-16s  %-11s  %5.1f%%  %12llu  %9s  %s\n", record.id.c_str(), DisplayState(record).c_str(),
                  record.percent, static_cast<unsigned long long>(record.records),
                  FormatSize(record.bytes).c_str(), options.destination.c_str());
    }
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", error.what());
    return ExitCodeFor(error.kind());
  }
}

}  // namespace

void AddExportsCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExportsFlags>();
  CLI::App* command = app.add_subcommand("exports", "List recorded exports with their state and progress");
  AddStateDirFlag(*command, flags->state_dir);
  command->add_flag("--json", flags->json, "Print a JSON array instead of a table");
  command->callback([flags, &exit_code]() { exit_code = RunExportsCommand(*flags); });
}

}  // namespace sluice::cli
