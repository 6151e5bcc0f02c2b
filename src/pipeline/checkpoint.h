// Checkpoint: what a resumed export needs to continue one output part from a
// chunk boundary. Checkpoints are kept in the job store as JSON.
//
// A checkpoint never contains a secret: an encrypted part keeps only its
// container parameters (salt, nonce prefix, scrypt costs) and the count of
// sealed segments, and the key is derived again from the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sinks/cloud/upload_state.h"
#include "transforms/encryption/sluice_container_writer.h"

namespace sluice {

struct Checkpoint {
  uint64_t part = 1;                // 1-based number of the output part
  uint64_t chunk = 0;               // batches read from the source before this point
  uint64_t records = 0;             // rows exported before this point, all parts
  std::string source_position;      // Source::position() before the next batch
  uint64_t skip_rows = 0;           // rows of that next batch already in earlier parts

  // A part start has no writer state: the writer begins the part afresh.
  bool part_start = false;
  std::string writer_state;         // FormatWriter::checkpoint_state()

  uint64_t writer_bytes = 0;        // bytes the writer produced in this part
  uint64_t stream_offset = 0;       // bytes after compression, before encryption
  // Durable bytes of the part's file. For an upload, the object's bytes
  // written so far: only those in parts the provider acknowledged are
  // durable, which a resume finds out from `upload` and the provider.
  uint64_t output_offset = 0;
  std::optional<SluiceContainerState> encryption;
  std::string temp_path;            // the part's temporary file

  // Split-output state at this point, so a resumed run predicts part sizes
  // exactly as the interrupted one did.
  uint64_t part_rows = 0;
  double bytes_per_row = 0;
  double transform_ratio = 1.0;
  uint64_t empty_part_bytes = 0;    // the part's header and trailer estimate before its first row
  bool flushed_near_limit = false;  // the writer's buffer was written out early as the part filled up
  uint64_t altered_values = 0;      // values altered in the parts already closed

  // The unfinished upload of a cloud destination. The job store keeps only
  // the newest one per export, apart from the checkpoint's JSON, because
  // acknowledged parts only accumulate and the list can be long.
  std::optional<CloudUploadState> upload;
};

// Encodes a checkpoint as one JSON object, without `upload`.
std::string CheckpointToJson(const Checkpoint& checkpoint);

// Decodes CheckpointToJson's output. Throws InvalidInput for anything else.
Checkpoint CheckpointFromJson(const std::string& json);

}  // namespace sluice
