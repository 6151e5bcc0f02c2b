// Checkpoint states made of unsigned counters, written as
// "key=value;key=value". Format writers and sources use them for the state
// they report at a checkpoint, which the job store keeps as opaque text.
#pragma once

#include <cstdint>
#include <string>

namespace sluice {

// Returns the counter `key` of `state`. Throws InvalidInput naming `what`
// (such as "writer checkpoint state") and the key when the key is missing or
// its value is not a whole number.
uint64_t ParseStateCounter(const std::string& state, const std::string& key, const std::string& what);

}  // namespace sluice
