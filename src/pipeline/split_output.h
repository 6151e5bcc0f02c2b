// SplitOutput: the output side of an export. It owns the format writer and
// its chain of sinks, and starts a new numbered part whenever the next rows
// would take the current one past the maximum file size.
//
// Each part is a complete file of its format (a CSV part repeats the header).
// A single-part export is published under the destination's own name; a
// split one as DEST.part-00001.ext, ... plus a manifest written last.
//
// A cloud destination (s3://, azure://, gs://) is split the same way, each
// part its own upload, and the manifest is uploaded last. An object cannot
// be renamed, so the first part's key is fixed when its upload starts:
// - when the part ends before its first upload part fills, the key follows
//   from whether another part comes, as for a local file;
// - otherwise the key is predicted from the source's expected row count
//   (see set_expected_rows()). When a second part follows a first part
//   predicted to be the only one, the export fails. When a first part
//   predicted to be split is the only one, it is published as
//   DEST.part-00001.ext with a manifest.
//
// Checkpoints: checkpoint() ends the compression frame and, when durable,
// fsyncs the part, so an export can be continued from that point (see
// resume.h). A PartListener receives the start and completion of each part,
// which a job store records so a resume writes no part twice.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/batch.h"
#include "formats/format_writer.h"
#include "pipeline/checkpoint.h"
#include "pipeline/output_chain.h"
#include "sluice/memory_governor.h"
#include "sluice/sluice.h"

namespace sluice {

// Origin of the batch being written, recorded as the start of a part that
// begins inside it.
struct BatchOrigin {
  std::string position;   // Source::position() before the batch; empty when unknown
  uint64_t chunk = 0;     // batches read before it
  uint64_t records = 0;   // rows exported before its first row
  uint64_t first_row = 0; // rows of it skipped because earlier parts hold them
};

class PartListener {
 public:
  virtual ~PartListener() = default;

  // A part's temporary file was created, so a resume or cancel can find it
  // even before the part's first checkpoint.
  virtual void part_opened(uint64_t number, const std::string& path, const std::string& temp_path) = 0;

  // A part is complete: `part` gives its final path, rows, bytes and
  // SHA-256, and the temporary file is about to be renamed. `next_start` is
  // where the next part begins, or null when this is the last part.
  virtual void part_completing(const OutputFile& part, const std::string& temp_path, uint64_t number,
                               const Checkpoint* next_start) = 0;
  virtual void part_committed(uint64_t number) = 0;
  // A cloud upload's state outside a checkpoint, once the provider has
  // started it.
  virtual void upload_changed(const CloudUploadState& state) { (void)state; }
};

// Resume point of the output: committed parts and the part to continue.
struct SplitResume {
  std::vector<OutputFile> committed;   // parts already committed, in order
  Checkpoint replay;                   // the checkpoint output is regenerated from
  std::optional<ChainResume> chain;    // unset: the part restarts from its beginning
};

class SplitOutput {
 public:
  // Starts part 1, or with `resume` continues the part it describes.
  // Buffers are reserved from `memory`. `listener` may be null. `cancel`,
  // unless null, stops the wait for a reader of a FIFO destination and must
  // outlive the output.
  SplitOutput(const ExportOptions& options, const Schema& schema, std::string format,
              std::string export_id, MemoryGovernor& memory, PartListener* listener = nullptr,
              const SplitResume* resume = nullptr, const CancellationToken* cancel = nullptr);
  ~SplitOutput();

  // Sets where the next batch came from. REQUIRES: called before each
  // write_batch() when a listener is set.
  void set_batch_origin(BatchOrigin origin) { origin_ = std::move(origin); }

  void write_batch(const Batch& batch);

  // Sets the source's row count, exact or estimated, or 0 when unknown.
  // A cloud export whose first part starts uploading before it ends names
  // that part by the output size these rows predict.
  void set_expected_rows(uint64_t rows) { expected_rows_ = rows; }

  // With `keep` set, a failed write or abort(true) leaves the open part's
  // temporary file in place for a resume.
  void keep_partial_files(bool keep);

  // Brings the output to a checkpoint: the writer hands over its buffered
  // bytes, the compression frame ends, and with `durable` the part is
  // fsynced. Fills the output fields of `checkpoint` and returns true, or
  // returns false when this part cannot be continued mid-file (then only
  // the frame has ended).
  bool checkpoint(Checkpoint& checkpoint, bool durable);

  // Finishes the last part, publishes every part and, for a split export,
  // the manifest.
  void finish();

  // Removes everything this export wrote, except with `keep_partial` the
  // temporary file of the open part and the parts already committed, so
  // the export can be resumed. Never throws.
  void abort(bool keep_partial = false) noexcept;

  // Bytes in the published files (after compression), parts written so far.
  uint64_t bytes_written() const;
  uint64_t altered_values() const;
  const std::vector<OutputFile>& files() const { return files_; }
  const std::string& manifest_path() const { return manifest_path_; }

 private:
  void open_part();
  void resume_part(const SplitResume& resume);
  void close_part(std::optional<size_t> next_rows_before);
  Checkpoint next_part_start(size_t rows_before) const;
  size_t rows_that_fit(const Batch& batch, size_t begin) const;
  uint64_t part_writer_bytes() const;
  // Expected bytes of the open part, before the transforms, were it finished now.
  uint64_t part_estimate() const;
  std::string part_path(size_t number) const;
  // The URL of a cloud export's first part, when its upload starts.
  std::string first_object_url();
  bool split_predicted() const;
  void set_part_object(uint64_t number);
  void record_cloud_part(const OutputFile& file, uint64_t number, std::optional<size_t> next_rows_before);

  const ExportOptions& options_;
  const Schema& schema_;
  std::string format_;
  std::string export_id_;
  MemoryGovernor& memory_;
  PartListener* listener_;
  const CancellationToken* cancel_;
  bool to_stdout_;
  bool to_cloud_;                   // s3://, azure:// or gs://: objects are never renamed
  uint64_t max_bytes_;

  std::unique_ptr<FormatWriter> writer_;
  std::unique_ptr<OutputChain> chain_;
  uint64_t writer_bytes_base_ = 0;  // writer bytes of this part before a resumed run
  uint64_t top_bytes_at_start_ = 0; // the chain's byte count when the writer started
  bool keep_partial_ = false;
  uint64_t part_rows_ = 0;
  uint64_t empty_part_bytes_ = 0;    // part_estimate() before the part's first row
  bool keys_ready_ = false;          // the part's chain has its encryption keys (OutputChain::wait_for_keys)
  bool flushed_near_limit_ = false;  // the writer's buffer was written out once as the part filled up
  BatchOrigin origin_;
  uint64_t expected_rows_ = 0;
  uint64_t writing_rows_ = 0;       // rows of the write_batch() call in progress
  // The object URL of the open cloud part; empty while the first part's
  // key is not yet chosen.
  std::string part_object_;
  // Set while the open part closes: whether another part follows it.
  std::optional<bool> closing_before_next_;

  // Output bytes per row before the transforms, and the transforms' size
  // ratio, learned from the rows written so far. They predict where a part fills up.
  double bytes_per_row_ = 0;
  double transform_ratio_ = 1.0;

  Batch slice_;
  std::vector<OutputFile> files_;
  std::vector<std::string> committed_paths_;
  std::string manifest_path_;
  uint64_t altered_values_ = 0;     // in closed parts
};

}  // namespace sluice
