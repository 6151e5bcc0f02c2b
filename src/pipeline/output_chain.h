// OutputChain: the sinks of one output part, from the format writer's bytes
// to the file:
//
//   writer -> [worker thread] -> [compression] -> stream counter -> [encryption] -> SHA-256 -> file
//
// For a file, the layers below the writer run on a worker thread
// (BackgroundSink), so compression, encryption, the digest and the write
// calls overlap the format writer. Uploads, standard output and device nodes
// keep them on the caller's thread. The accessors below that read a layer's state wait
// for the worker first.
//
// It keeps a handle on each layer so a checkpoint can end the compression
// frame, read the encryption state, fsync the file and note the offsets. A
// resumed part continues the temporary file of an interrupted run, or for a
// cloud destination the provider's unfinished upload.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pipeline/skipping_sink.h"
#include "sinks/background_sink.h"
#include "sinks/byte_sink.h"
#include "sinks/cloud/multipart_sink.h"
#include "sinks/cloud/upload_state.h"
#include "sinks/file_sink.h"
#include "sinks/hashing_sink.h"
#include "sluice/memory_governor.h"
#include "sluice/options.h"
#include "sluice/sluice.h"
#include "transforms/compression_sink.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace sluice {

// Resume point of a part. The file keeps its first output_offset bytes. The
// writer's regenerated stream starts at stream_offset, and its first `skip`
// bytes are dropped because the file already contains them.
//
// For an upload (`upload` set, no temp_path) the regenerated output starts
// at object offset output_offset, and the sink drops the bytes after it that
// the provider already holds.
struct ChainResume {
  std::string temp_path;
  uint64_t output_offset = 0;
  uint64_t stream_offset = 0;
  uint64_t skip = 0;
  std::optional<SluiceContainerState> encryption;
  std::optional<CloudUploadState> upload;
};

class OutputChain {
 public:
  // Starts a part: a new temporary file for `final_path`, standard output
  // when `final_path` is "-", the node itself when `final_path` is an
  // existing device, FIFO or socket, or an upload for an s3://, azure:// or
  // gs:// URL.
  // Buffers of the transforms and of an upload are reserved from `memory`
  // unless it is null; it must outlive the chain.
  // `temp_tag` names the temporary file (see FileSink).
  // `cancel`, unless null, stops the wait for a reader of a FIFO (see
  // SpecialFileSink).
  OutputChain(const std::string& final_path, const ExportOptions& options, MemoryGovernor* memory = nullptr,
              const std::string& temp_tag = {}, const CancellationToken* cancel = nullptr);

  // Continues a part of an interrupted export. Throws IOError when the
  // temporary file is missing or shorter than resume.output_offset, or when
  // the provider has stored fewer than resume.output_offset bytes of the upload.
  // Throws InvalidInput when the password does not match the Sluice
  // container header at the start of the file, or the one recorded with the
  // upload, and then keeps the file or upload.
  OutputChain(const std::string& final_path, const ExportOptions& options, const ChainResume& resume,
              MemoryGovernor* memory = nullptr);

  ~OutputChain();

  // Where the format writer writes.
  ByteSink& top() { return *top_; }

  // Bytes in the part's file or object (after every transform) and their
  // SHA-256 (valid after commit()). The SHA-256 is empty for a resumed
  // upload, because the bytes the provider held were not read again.
  uint64_t file_bytes() const;

  // file_bytes() as of the last buffer the worker passed on, without
  // waiting for it: for progress, never for a decision that shapes output.
  uint64_t file_bytes_estimate() const;
  const std::string& sha256_hex() const;

  // Bytes after compression and before encryption, counted from the part's start.
  uint64_t stream_offset() const;

  // Encryption state for a checkpoint: set for the Sluice container, which
  // can be continued; nullopt without encryption.
  std::optional<SluiceContainerState> encryption_state() const;

  // False when the part cannot be continued mid-file (age encryption keeps
  // its file key secret, so it is not in any checkpoint) or goes to
  // standard output.
  bool resumable_mid_part() const { return (file_ != nullptr || upload_ != nullptr) && !age_; }

  // The upload's ids and acknowledged parts; nullopt unless the part goes
  // to a cloud destination.
  std::optional<CloudUploadState> upload_state() const;

  // For a cloud destination, runs `hook` with the upload state each time a
  // job store must record it outside a checkpoint: when the upload starts,
  // when a failed export keeps it, and just before the completing request
  // (see MultipartSink::set_state_hook). Otherwise does nothing.
  void set_upload_recorder(std::function<void(const CloudUploadState&)> hook);

  // Waits for a new Sluice container's keys and releases scrypt's memory
  // reservation (see SluiceContainerWriter::wait_for_keys). Call once,
  // before the first batch is encoded. Does nothing without a new container.
  void wait_for_keys();

  // For a cloud destination, calls `resolver` when the upload starts and
  // uploads to the URL it returns (see MultipartSink::set_object_resolver).
  // Otherwise does nothing. REQUIRES: nothing written yet.
  void set_upload_resolver(std::function<std::string()> resolver) {
    if (upload_ != nullptr) upload_->set_object_resolver(std::move(resolver));
  }

  // Ends the compression frame so output can restart here.
  void end_frame();

  // Makes every byte written so far durable and returns the file's size.
  // An upload returns its byte count without waiting: its durable prefix is
  // the parts the provider acknowledged, which a resume requests from the provider.
  // REQUIRES: resumable_mid_part() or a file sink.
  uint64_t sync();

  const std::string& temp_path() const;

  // Keeps the temporary file, or the provider's unfinished upload, when the
  // part is aborted or a write fails, so a resume can continue it.
  void keep_partial_file(bool keep) {
    if (background_ != nullptr) background_->wait();
    if (file_ != nullptr) file_->keep_partial_file(keep);
    if (upload_ != nullptr) upload_->keep_upload(keep);
  }

  // Names `path` in the file's write errors (see FileSink::set_error_path).
  void set_error_path(const std::string& path) {
    if (background_ != nullptr) background_->wait();
    if (file_ != nullptr) file_->set_error_path(path);
  }

  // Runs `hook` during commit(), once the digest is final and before the
  // temporary file is renamed.
  void set_before_commit(std::function<void()> hook) { file_hook_->set_before_commit(std::move(hook)); }

  void commit();
  void abort() noexcept;

 private:
  void wrap_above_encryption(const ExportOptions& options, uint64_t stream_offset, uint64_t skip);
  void reserve_transform_buffers(const ExportOptions& options, MemoryGovernor* memory);
  void settle() const;

  // Compression state and encryption segments. Declared before the sinks,
  // so it is released after they are destroyed.
  MemoryReservation transform_memory_;
  std::unique_ptr<ByteSink> top_;
  FileSink* file_ = nullptr;               // null for standard output and uploads
  MultipartSink* upload_ = nullptr;        // set for a cloud destination
  uint64_t upload_base_ = 0;               // object offset where a resumed upload's new bytes start
  HashingSink* hashing_ = nullptr;
  SluiceContainerWriter* container_ = nullptr;
  SkippingSink* counter_ = nullptr;
  SkippingSink* file_hook_ = nullptr;      // between the digest and the file
  CompressionSink* compression_ = nullptr;
  std::unique_ptr<ByteSink> pending_;      // the layers below the counter while building
  BackgroundSink* background_ = nullptr;   // the top layer when the part is a file
  std::atomic<uint64_t> passed_bytes_{0};  // hashing_->bytes_written() after the worker's last buffer
  bool age_ = false;
  bool closed_ = false;

};

}  // namespace sluice
