// The options of an export as JSON, for its record in the job store.
#pragma once

#include <string>

#include "sluice/options.h"

namespace sluice {

// Encodes every option except secrets: the encryption password is left out,
// and a password in a PostgreSQL source URL (user:secret@ or password=...)
// is removed, so libpq takes it from PGPASSWORD or ~/.pgpass on resume.
std::string OptionsToJson(const ExportOptions& options);

// Decodes OptionsToJson's output; the password stays empty. Options missing
// from the JSON keep their defaults. Throws InvalidInput for malformed JSON.
ExportOptions OptionsFromJson(const std::string& json);

// Returns `options` with the relative paths of file sources, the SQLite
// database, the destination and the Avro schema made absolute against the
// current directory, so a resume from another directory finds them.
ExportOptions WithAbsolutePaths(const ExportOptions& options);

// Returns `source` without a password: "postgresql://user:secret@host/db"
// becomes "postgresql://user@host/db" and a password=... parameter is dropped.
std::string SourceWithoutPassword(const std::string& source);

}  // namespace sluice
