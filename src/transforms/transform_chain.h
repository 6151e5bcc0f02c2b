// Builds the byte transforms between a format writer and a sink:
// writer -> compression -> encryption -> sink.
#pragma once

#include <memory>

#include "sinks/byte_sink.h"
#include "sluice/options.h"

namespace sluice {

// Wraps `sink` in the transforms the options ask for. The returned sink owns
// `sink`; committing or aborting it commits or aborts the whole chain.
std::unique_ptr<ByteSink> WrapWithTransforms(std::unique_ptr<ByteSink> sink,
                                             const ExportOptions& options);

// "none", "gzip" or "zstd" from options.compression or the destination's
// extension. Throws InvalidInput for an unknown codec name.
std::string ResolveCompression(const ExportOptions& options);

}  // namespace sluice
