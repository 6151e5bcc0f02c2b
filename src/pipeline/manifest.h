// The manifest of a split export: one JSON file beside the parts that lists
// each part with its row count, byte size and SHA-256. An export is complete
// only once its manifest exists.
#pragma once

#include <string>
#include <vector>

#include "sluice/sluice.h"

namespace sluice {

// Writes `path` atomically (temporary file, fsync, rename). Part paths are
// stored relative to the manifest's directory.
void WriteManifest(const std::string& path, const std::string& export_id,
                   const std::string& format, const std::vector<OutputFile>& parts);

// Returns "dir/name.part-00001.csv.gz" for "dir/name.csv.gz" and part 1: the
// number goes before the format extension and any compression extension.
std::string PartPath(const std::string& destination, size_t part_number);

std::string ManifestPath(const std::string& destination);

}  // namespace sluice
