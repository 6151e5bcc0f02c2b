// Creates the sink for an object-storage destination (see cloud_destination.h).
#pragma once

#include <memory>
#include <string>

#include "sinks/byte_sink.h"
#include "sinks/cloud/cloud_destination.h"
#include "sluice/options.h"

namespace sluice {

// Returns the S3, Azure or GCS sink for `destination`. Resolves credentials
// and settings now, so a missing credential fails before any row is read.
// Cloud uploads are never split into parts: the sink fails once the output
// passes options.max_file_bytes.
std::unique_ptr<ByteSink> MakeCloudSink(const std::string& destination, const ExportOptions& options);

}  // namespace sluice
