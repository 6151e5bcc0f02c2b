// XLSX writer on libxlsxwriter in constant-memory mode.
#pragma once

#include <memory>

#include "formats/format_writer.h"
#include "sluice/options.h"

namespace sluice {

// Validates the XLSX options and returns the writer. Throws InvalidInput for
// an invalid option.
std::unique_ptr<FormatWriter> MakeXlsxWriter(const ExportOptions& options);

}  // namespace sluice
