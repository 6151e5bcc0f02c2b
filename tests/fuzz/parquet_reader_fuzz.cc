// libFuzzer target for the Parquet reader: the input bytes are written to a
// temporary file and read through ParquetSource. Every input must end in rows
// or a sluice::Error; anything else (a crash, a sanitizer report, another
// exception type) is a bug. Built with -DSLUICE_BUILD_FUZZ=ON under clang.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/batch.h"
#include "sluice/error.h"
#include "sluice/options.h"
#include "sources/parquet_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/sluice_parquet_fuzz_" + std::to_string(::getpid()) + ".parquet";
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);

  sluice::ExportOptions options;
  options.chunk_bytes = 8 * 1024;
  try {
    sluice::ParquetSource source(path, options);
    sluice::Batch batch(source.schema());
    while (source.next_batch(batch)) {
    }
  } catch (const sluice::Error&) {
  }
  return 0;
}
