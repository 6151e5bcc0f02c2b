// FormatWriter: turns batches into the bytes of one output format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/batch.h"
#include "core/data_type.h"
#include "core/error.h"
#include "sinks/byte_sink.h"

namespace sluice {

class FormatWriter {
 public:
  virtual ~FormatWriter() = default;

  // Writes the format's header for `schema` (a CSV header row, '[' or a file
  // magic). Called once, before any batch.
  virtual void begin(const Schema& schema, ByteSink& sink) = 0;

  // Encodes one batch and hands the bytes to the sink given to begin().
  // A writer buffers at most a bounded amount (one batch, one row group).
  virtual void write_batch(const Batch& batch) = 0;

  // Writes what is still buffered and the format's trailer. The caller then
  // commits the sink.
  virtual void finish() = 0;

  // Encoded bytes the writer keeps that it has not yet handed to the sink
  // (a Parquet row group being built). Split outputs count them toward a
  // part's size.
  virtual uint64_t buffered_bytes() const { return 0; }

  // Estimated bytes that finish() would still hand to the sink: the buffered
  // bytes plus the format's trailer (the Parquet footer, the whole XLSX zip).
  // Split outputs add it to the bytes already written to decide where a part
  // ends. Compressed sizes are known only after compression, so a writer
  // that compresses errs on the high side where it can.
  virtual uint64_t pending_output_bytes() const { return buffered_bytes(); }

  // Hands the buffered bytes to the sink where the format can do so in the
  // middle of a file (Parquet closes the open row group), so that
  // pending_output_bytes() shrinks to the trailer. Returns false when nothing
  // was buffered or the format cannot.
  virtual bool flush_buffered() { return false; }

  // Values the writer changed to keep the output valid (for example XLSX
  // cells cut at Excel's text limit), reported in the export summary.
  virtual uint64_t altered_values() const { return 0; }

  // Hands every buffered byte to the sink and returns what restore() needs
  // to continue the same file after those bytes, or nullopt when the format
  // cannot be continued mid-file (XLSX), so a resumed export restarts it.
  // Called between batches.
  virtual std::optional<std::string> checkpoint_state() { return std::nullopt; }

  // Called instead of begin() to continue a file: `sink` already contains the
  // bytes written up to the checkpoint_state() that returned `state`.
  // Throws InvalidInput for a state this writer did not produce.
  virtual void restore(const Schema& schema, ByteSink& sink, const std::string& state) {
    (void)schema;
    (void)sink;
    (void)state;
    throw InvalidInput("this output format cannot continue a file from a checkpoint");
  }
};

}  // namespace sluice
