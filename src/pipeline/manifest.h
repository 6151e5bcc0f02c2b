// The manifest of a split export: one JSON file beside the parts that lists
// each part with its row count, byte size and SHA-256. An export is complete
// only once its manifest exists.
#pragma once

#include <string>
#include <vector>

#include "sluice/options.h"
#include "sluice/sluice.h"

namespace sluice {

// Writes `path` atomically (temporary file, fsync, rename). Part paths are
// stored relative to the manifest's directory.
void WriteManifest(const std::string& path, const std::string& export_id,
                   const std::string& format, const std::vector<OutputFile>& parts);

// Uploads the manifest to the s3://, azure:// or gs:// URL `url` in one
// request, with the credentials and settings of `options`. Part names are
// the last segment of each part's URL.
void UploadManifest(const std::string& url, const std::string& export_id, const std::string& format,
                    const std::vector<OutputFile>& parts, const ExportOptions& options);

// The manifest's JSON text, as WriteManifest and UploadManifest store it.
std::string ManifestJson(const std::string& export_id, const std::string& format,
                         const std::vector<OutputFile>& parts);

// Returns "dir/name.part-00001.csv.gz" for "dir/name.csv.gz" and part 1: the
// number goes before the format extension and any compression extension.
// An object URL is named the same way: "s3://bucket/dir/name.part-00001.csv"
// for "s3://bucket/dir/name.csv".
std::string PartPath(const std::string& destination, size_t part_number);

std::string ManifestPath(const std::string& destination);

}  // namespace sluice
