#include "core/process_memory.h"

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sluice {

uint64_t CurrentRssBytes() {
  FILE* file = std::fopen("/proc/self/statm", "r");
  if (file == nullptr) return 0;
  unsigned long long size_pages = 0, resident_pages = 0;
  int fields = std::fscanf(file, "%llu %llu", &size_pages, &resident_pages);
  std::fclose(file);
  if (fields != 2) return 0;
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// Under a sanitizer malloc_trim has nothing to return and is harmful: threads
// making the first call at once can break glibc's arena count (abort at exit).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLUICE_MALLOC_REPLACED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SLUICE_MALLOC_REPLACED 1
#endif
#endif

void ReleaseFreedMemory() {
#if defined(__GLIBC__) && !defined(SLUICE_MALLOC_REPLACED)
  malloc_trim(0);
#endif
}

uint64_t PeakRssBytes() {
  FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return 0;
  char line[256];
  uint64_t peak_kib = 0;
  while (std::fgets(line, sizeof line, file) != nullptr) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) {
      peak_kib = std::strtoull(line + 6, nullptr, 10);
      break;
    }
  }
  std::fclose(file);
  return peak_kib * 1024;
}

}  // namespace sluice
