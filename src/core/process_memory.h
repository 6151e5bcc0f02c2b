// The process's resident memory as the operating system counts it.
#pragma once

#include <cstdint>

namespace sluice {

// Current resident set size in bytes, from /proc/self/statm; 0 if unavailable.
uint64_t CurrentRssBytes();

// Peak resident set size in bytes (VmHWM in /proc/self/status); 0 if unavailable.
uint64_t PeakRssBytes();

}  // namespace sluice
