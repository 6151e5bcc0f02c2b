// The process's resident memory as the operating system counts it.
#pragma once

#include <cstdint>

namespace sluice {

// Current resident set size in bytes, from /proc/self/statm; 0 if unavailable.
uint64_t CurrentRssBytes();

// Peak resident set size in bytes (VmHWM in /proc/self/status); 0 if unavailable.
uint64_t PeakRssBytes();

// Returns free heap pages to the operating system (glibc malloc_trim), for
// after a large buffer is freed. Once a large block is freed, glibc serves
// blocks up to that size (at most 32 MiB, see M_MMAP_THRESHOLD in
// mallopt(3)) from its heaps and keeps them resident after free(). Without
// glibc, or under a sanitizer that replaces malloc, this does nothing.
void ReleaseFreedMemory();

}  // namespace sluice
