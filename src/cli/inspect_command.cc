// `sluice inspect`: prints a source's schema and row estimate.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/layered_arguments.h"
#include "cli/option_groups.h"
#include "core/size.h"
#include "sluice/sluice.h"

namespace sluice::cli {

namespace {

struct InspectFlags {
  ExportOptions options;
  bool json = false;
  std::string config;
};

void PrintText(const SourceInfo& info) {
  size_t width = 6;
  for (const ColumnInfo& column : info.columns) width = std::max(width, column.name.size());
  std::printf("%-*s  %s\n", static_cast<int>(width), "column", "type");
  for (const ColumnInfo& column : info.columns) {
    std::printf("%-*s  %s%s\n", static_cast<int>(width), column.name.c_str(), column.type.c_str(),
                column.nullable ? "" : " not null");
  }
  if (info.row_estimate) {
    std::printf("\nrows: %s%llu\n", info.row_estimate_exact ? "" : "about ",
                static_cast<unsigned long long>(*info.row_estimate));
  } else {
    std::printf("\nrows: unknown\n");
  }
  if (info.size_bytes) std::printf("size: %s\n", FormatSize(*info.size_bytes).c_str());
}

void PrintJson(const SourceInfo& info) {
  nlohmann::ordered_json out;
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const ColumnInfo& column : info.columns) {
    columns.push_back({{"name", column.name}, {"type", column.type}, {"nullable", column.nullable}});
  }
  out["columns"] = std::move(columns);
  out["rowEstimate"] = info.row_estimate ? nlohmann::ordered_json(*info.row_estimate) : nullptr;
  out["rowEstimateExact"] = info.row_estimate_exact;
  out["sizeBytes"] = info.size_bytes ? nlohmann::ordered_json(*info.size_bytes) : nullptr;
  std::printf("%s\n", out.dump(2).c_str());
}

int RunInspectCommand(InspectFlags& flags) {
  try {
    SourceInfo info = InspectSource(flags.options);
    if (flags.json) {
      PrintJson(info);
    } else {
      PrintText(info);
    }
    return kExitSuccess;
  } catch (const Error& error) {
    spdlog::error("error: {}", WithOptionOrigins(error.what()));
    return ExitCodeFor(error.kind());
  } catch (const std::exception& error) {
    spdlog::error("error: internal error: {}", error.what());
    return kExitInternal;
  }
}

}  // namespace

void AddInspectCommand(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<InspectFlags>();
  CLI::App* command = app.add_subcommand("inspect", "Print a source's schema and row estimate");
  command->add_option("source", flags->options.source,
                      "A file path, sqlite:PATH?table=T, postgresql://...?query=SQL or gen:rows=N")
      ->required();
  command->add_option("--input-format", flags->options.input_format,
                      "Format of a file source: csv, ndjson, json or parquet");
  command->add_option("--schema", flags->options.csv_read.schema,
                      "Column names and types, overriding inference");
  AddCsvInputFlags(*command, flags->options);
  command->add_flag("--json", flags->json, "Print the schema as JSON");
  command->add_option("--config", flags->config, "Configuration file of key = value lines");
  command->callback([flags, &exit_code]() { exit_code = RunInspectCommand(*flags); });
}

}  // namespace sluice::cli
