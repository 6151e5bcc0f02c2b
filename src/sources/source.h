// Source: yields the rows of a dataset as column-oriented batches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/batch.h"
#include "core/data_type.h"
#include "core/error.h"

namespace sluice {

struct SourceProgress {
  uint64_t rows_read = 0;
  uint64_t bytes_read = 0;                 // input bytes consumed (files), 0 otherwise
  std::optional<uint64_t> total_bytes;     // input size when known
  std::optional<uint64_t> total_rows;      // row count when known or estimated
  bool total_rows_exact = false;           // true when total_rows is a count, not an estimate
};

class Source {
 public:
  virtual ~Source() = default;

  // The schema, fixed before the first batch (inferred or given).
  virtual const Schema& schema() const = 0;

  // Replaces `batch`'s rows with the next rows, about one chunk of input.
  // Returns false, with an empty batch, at the end of the data.
  // REQUIRES: batch was reset() with schema().
  virtual bool next_batch(Batch& batch) = 0;

  virtual SourceProgress progress() const = 0;

  // Rows dropped because they were malformed (only with skip-bad-rows).
  virtual uint64_t skipped_rows() const { return 0; }

  // Where the next batch starts, as an opaque string that seek() accepts in
  // a new instance opened with the same options. Taken between batches, so a
  // seeked source yields the same batches as the original from there on.
  virtual std::string position() const {
    throw InvalidInput("this source cannot resume: it cannot report a position to restart from");
  }

  // Continues from a position() of an earlier instance. REQUIRES: no batch
  // was read yet. Throws InvalidInput when the position is malformed.
  virtual void seek(const std::string& position) {
    (void)position;
    throw InvalidInput("this source cannot resume: it cannot restart from a position");
  }
};

}  // namespace sluice
