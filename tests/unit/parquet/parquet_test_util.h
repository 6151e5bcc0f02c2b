// Helpers shared by the Parquet unit tests: writing batches to Parquet bytes, temporary files, and reading a file back into one batch.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "formats/parquet/parquet_writer.h"
#include "sinks/byte_sink.h"
#include "sluice/options.h"
#include "sources/parquet_source.h"
#include "support/string_sink.h"

namespace sluice::parquet_test {

inline std::string WriteParquet(const Schema& schema, const std::vector<Batch>& batches,
                                const ParquetWriteOptions& options = {}) {
  testing::StringSink sink;
  ParquetWriter writer(options);
  writer.begin(schema, sink);
  for (const Batch& batch : batches) writer.write_batch(batch);
  writer.finish();
  return sink.bytes();
}

// A file under the test's temporary directory, removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& contents, const std::string& name = "test.parquet") {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir ? dir : "/tmp") + "/sluice_parquet_" + std::to_string(::getpid()) + "_" +
            std::to_string(counter_++) + "_" + name;
    std::ofstream(path_, std::ios::binary).write(contents.data(), static_cast<std::streamsize>(contents.size()));
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

// Reads every row of a Parquet file into one batch.
inline Batch ReadAll(const std::string& path, Schema* schema_out = nullptr, uint64_t chunk_bytes = 1 << 20) {
  ExportOptions options;
  options.chunk_bytes = chunk_bytes;
  ParquetSource source(path, options);
  if (schema_out) *schema_out = source.schema();
  Batch all(source.schema());
  Batch batch(source.schema());
  while (source.next_batch(batch)) {
    for (size_t c = 0; c < batch.num_columns(); ++c) {
      all.column(c).append_rows(batch.column(c), 0, batch.num_rows());
    }
  }
  return all;
}

}  // namespace sluice::parquet_test
