// Frees a buffer's heap memory at once.
#pragma once

#include <string>

namespace sluice {

// Empties `buffer` and frees its heap block. Assigning std::string() is not
// enough: libstdc++ copies the empty short string into the existing block
// and keeps its capacity.
inline void FreeBuffer(std::string& buffer) { std::string().swap(buffer); }

}  // namespace sluice
