// SIGINT and SIGTERM cancel the running export instead of killing the
// process, so its partial output is removed.
#pragma once

#include "sluice/sluice.h"

namespace sluice::cli {

// Routes SIGINT and SIGTERM to `token` until the process exits. A second
// signal restores the default action, so pressing Ctrl-C twice always ends
// the process.
void CancelOnSignals(CancellationToken& token);

}  // namespace sluice::cli
