// Avro Object Container File writer (Apache Avro 1.11 specification, "Object
// Container Files").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "formats/format_writer.h"
#include "sluice/memory_governor.h"
#include "sluice/options.h"

namespace sluice {

using AvroSyncMarker = std::array<char, 16>;

// Returns the file's 16-byte sync marker: the first 16 bytes of SHA-256 over
// "sluice-avro-sync:" and the decimal seed when options.sync_marker_seed is
// set, else over "sluice-avro-sync:" and export_id, so the same export always
// writes the same bytes. With neither set the marker is random.
AvroSyncMarker MakeAvroSyncMarker(const AvroWriteOptions& options, const std::string& export_id);

// Validates the Avro options (codec level, record name, schema file) and
// returns the writer. Throws InvalidInput for an invalid option. With
// `memory`, the block buffers (about three times --avro-block-size, more
// for a longer row) are reserved from it once they pass
// kUnreservedBufferBytes.
std::unique_ptr<FormatWriter> MakeAvroWriter(const ExportOptions& options, MemoryGovernor* memory = nullptr);

}  // namespace sluice
