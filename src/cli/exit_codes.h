// Exit codes of the `sluice` command, as documented in docs/cli.md.
#pragma once

#include "sluice/error.h"

namespace sluice::cli {

constexpr int kExitSuccess = 0;
constexpr int kExitInternal = 1;
constexpr int kExitUsage = 2;         // invalid command line or option value
constexpr int kExitInvalidData = 3;   // malformed input, data that does not fit the schema
constexpr int kExitIO = 4;            // file, disk or network failure
constexpr int kExitSource = 5;        // the source database reported an error
constexpr int kExitCancelled = 6;     // interrupted by SIGINT or SIGTERM, or cancelled
constexpr int kExitMemoryLimit = 7;   // the memory limit's circuit breaker tripped

inline int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidOption: return kExitUsage;
    case ErrorKind::kInvalidInput: return kExitInvalidData;
    case ErrorKind::kIO: return kExitIO;
    case ErrorKind::kSource: return kExitSource;
    case ErrorKind::kCancelled: return kExitCancelled;
    case ErrorKind::kMemoryLimit: return kExitMemoryLimit;
    case ErrorKind::kInternal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace sluice::cli
