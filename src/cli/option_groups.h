// Flag groups that each feature adds to `sluice export`. One function per
// feature, each defined in its own file under src/cli/.
#pragma once

#include <CLI/CLI.hpp>

#include "sluice/options.h"

namespace sluice::cli {

void AddCsvFlags(CLI::App& command, ExportOptions& options);
// The CSV input flags alone (--input-delimiter, --input-quote, ...), which
// `sluice inspect` shares with `sluice export`.
void AddCsvInputFlags(CLI::App& command, ExportOptions& options);
void AddJsonFlags(CLI::App& command, ExportOptions& options);
void AddAvroFlags(CLI::App& command, ExportOptions& options);
void AddParquetFlags(CLI::App& command, ExportOptions& options);
void AddXlsxFlags(CLI::App& command, ExportOptions& options);
void AddCloudFlags(CLI::App& command, ExportOptions& options);
// Also resolves the password once parsing completes, through the export
// command's parse_complete_callback.
void AddEncryptionFlags(CLI::App& command, ExportOptions& options);

}  // namespace sluice::cli
