// SplitOutput: the output side of an export. It owns the format writer and
// its chain of sinks, and starts a new numbered part whenever the next rows
// would take the current one past the maximum file size.
//
// Each part is a complete file of its format (a CSV part repeats the header).
// A single-part export is published under the destination's own name; a
// split one as DEST.part-00001.ext, ... plus a manifest written last.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/batch.h"
#include "formats/format_writer.h"
#include "sinks/hashing_sink.h"
#include "sluice/sluice.h"

namespace sluice {

class SplitOutput {
 public:
  SplitOutput(const ExportOptions& options, const Schema& schema, std::string format,
              std::string export_id);
  ~SplitOutput();

  void write_batch(const Batch& batch);

  // Finishes the last part, publishes every part and, for a split export,
  // the manifest.
  void finish();

  // Removes everything this export wrote. Never throws.
  void abort() noexcept;

  // Bytes in the published files (after compression), parts written so far.
  uint64_t bytes_written() const;
  uint64_t altered_values() const { return altered_values_; }
  const std::vector<OutputFile>& files() const { return files_; }
  const std::string& manifest_path() const { return manifest_path_; }

 private:
  void open_part();
  void close_part();
  size_t rows_that_fit(const Batch& batch, size_t begin) const;
  std::string part_path(size_t number) const;

  const ExportOptions& options_;
  const Schema& schema_;
  std::string format_;
  std::string export_id_;
  bool to_stdout_;
  uint64_t max_bytes_;

  std::unique_ptr<FormatWriter> writer_;
  std::unique_ptr<ByteSink> chain_;  // transforms wrapping hashing_
  HashingSink* hashing_ = nullptr;   // owned by chain_
  uint64_t part_rows_ = 0;

  // Output bytes per row before and after the transforms, learned from the
  // parts and rows written so far; used to predict where a part fills up.
  double bytes_per_row_ = 0;
  double transform_ratio_ = 1.0;

  Batch slice_;
  std::vector<OutputFile> files_;
  std::vector<std::string> committed_paths_;
  std::string manifest_path_;
  uint64_t altered_values_ = 0;
};

}  // namespace sluice
