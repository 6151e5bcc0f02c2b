// Reads an encryption password from a file, so it never appears on a command
// line or in the process list.
#pragma once

#include <string>

namespace sluice {

// Returns the file's first line without its line ending (LF or CRLF). The
// rest of the file is ignored. Throws IOError when the file cannot be read
// and InvalidOption when the password is empty.
std::string ReadPasswordFile(const std::string& path);

}  // namespace sluice
