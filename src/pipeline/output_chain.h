// OutputChain: the sinks of one output part, from the format writer's bytes
// to the file:
//
//   writer -> [compression] -> stream counter -> [encryption] -> SHA-256 -> file
//
// It keeps a handle on each layer so a checkpoint can end the compression
// frame, read the encryption state, fsync the file and note the offsets. A
// resumed part continues the temporary file of an interrupted run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/skipping_sink.h"
#include "sinks/byte_sink.h"
#include "sinks/file_sink.h"
#include "sinks/hashing_sink.h"
#include "sluice/options.h"
#include "transforms/compression_sink.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace sluice {

// Resume point of a part. The file keeps its first output_offset bytes. The
// writer's regenerated stream starts at stream_offset, and its first `skip`
// bytes are dropped because the file already contains them.
struct ChainResume {
  std::string temp_path;
  uint64_t output_offset = 0;
  uint64_t stream_offset = 0;
  uint64_t skip = 0;
  std::optional<SluiceContainerState> encryption;
};

class OutputChain {
 public:
  // Starts a part: a new temporary file for `final_path`, standard output
  // when `final_path` is "-", or an upload for an s3://, azure:// or gs:// URL.
  OutputChain(const std::string& final_path, const ExportOptions& options);

  // Continues a part of an interrupted export. Throws IOError when the
  // temporary file is missing or shorter than resume.output_offset.
  OutputChain(const std::string& final_path, const ExportOptions& options, const ChainResume& resume);

  ~OutputChain();

  // Where the format writer writes.
  ByteSink& top() { return *top_; }

  // Bytes in the part's file (after every transform) and their SHA-256
  // (valid after commit()).
  uint64_t file_bytes() const { return hashing_->bytes_written(); }
  const std::string& sha256_hex() const { return hashing_->sha256_hex(); }

  // Bytes after compression and before encryption, counted from the part's start.
  uint64_t stream_offset() const { return counter_->bytes_written(); }

  // Encryption state for a checkpoint: set for the Sluice container, which
  // can be continued; nullopt without encryption.
  std::optional<SluiceContainerState> encryption_state() const;

  // False when the part cannot be continued mid-file (age encryption keeps
  // its file key secret, so it is not in any checkpoint).
  bool resumable_mid_part() const { return file_ != nullptr && !age_; }

  // Ends the compression frame so output can restart here.
  void end_frame();

  // Makes every byte written so far durable and returns the file's size.
  // REQUIRES: resumable_mid_part() or a file sink.
  uint64_t sync();

  const std::string& temp_path() const;

  // Keeps the temporary file when the part is aborted or a write fails, so
  // a resume can continue it.
  void keep_partial_file(bool keep) {
    if (file_ != nullptr) file_->keep_partial_file(keep);
  }

  // Runs `hook` during commit(), once the digest is final and before the
  // temporary file is renamed.
  void set_before_commit(std::function<void()> hook) { file_hook_->set_before_commit(std::move(hook)); }

  void commit();
  void abort() noexcept;

 private:
  void wrap_above_encryption(const ExportOptions& options, uint64_t stream_offset, uint64_t skip);

  std::unique_ptr<ByteSink> top_;
  FileSink* file_ = nullptr;               // null for standard output
  HashingSink* hashing_ = nullptr;
  SluiceContainerWriter* container_ = nullptr;
  SkippingSink* counter_ = nullptr;
  SkippingSink* file_hook_ = nullptr;      // between the digest and the file
  CompressionSink* compression_ = nullptr;
  std::unique_ptr<ByteSink> pending_;      // the layers below the counter while building
  bool age_ = false;
  bool closed_ = false;
};

}  // namespace sluice
