// Checks of a local destination path made before an export writes anything,
// so that a bad destination fails with exit code 2 and leaves no part file.
#pragma once

#include <string>

#include "sluice/options.h"

namespace sluice {

// Returns the path that an export to `destination` publishes its file under.
// A symbolic link resolves to its target (every link in a chain), so the
// output is written in the target's directory and renamed over the target,
// and the link itself stays in place. Other paths, standard output ("-") and
// cloud URLs return unchanged. Throws InvalidOption for a link whose target
// does not exist.
std::string ResolveDestinationLink(const std::string& destination);

// Throws InvalidOption when `options.destination` is an existing directory,
// or is the same file (same device and inode) as a local source file.
void CheckDestinationFile(const ExportOptions& options);

}  // namespace sluice
