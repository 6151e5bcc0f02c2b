// SourceFingerprint: what a resume compares to tell whether the source
// changed since the export started.
#pragma once

#include <string>

#include "sluice/options.h"
#include "sources/source.h"

namespace sluice {

// Returns a JSON object describing the source: for a file (and the database
// file of a SQLite source) its size, modification time in nanoseconds and
// the SHA-256 of its first 64 KiB; for every source the row total it
// reports, when it reports one (a table's count, a query's estimate).
std::string SourceFingerprint(const ExportOptions& options, const Source& source);

// Returns what differs between two fingerprints in words, such as "size
// changed from 1200 to 1300 bytes; the first 64 KiB changed", or "" when
// nothing differs.
std::string DescribeSourceChange(const std::string& before, const std::string& after);

}  // namespace sluice
