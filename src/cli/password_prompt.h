// Password input for the command line. A password is never accepted as a
// command-line value, because other users can read the process list.
#pragma once

#include <string>

namespace sluice::cli {

// Returns the password from, in order: `password_file` (when not empty), the
// SLUICE_PASSWORD environment variable, or a prompt on the terminal with echo
// off. With `confirm` (for encryption) the prompt repeats and both
// entries must match. Throws sluice::Error (kInvalidOption) when standard input is
// not a terminal and no other source is given, saying how to supply one.
std::string ResolvePassword(const std::string& password_file, bool confirm);

}  // namespace sluice::cli
