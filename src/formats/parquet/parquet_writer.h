// ParquetWriter: the Parquet file format writer.
//
// File layout: "PAR1", row groups (per column: an optional dictionary page,
// then v1 data pages), the FileMetaData footer in Thrift compact form, the
// footer's length as 4 little-endian bytes, "PAR1". A row group is flushed
// once its buffered pages reach row_group_bytes (or row_group_rows rows), so
// memory stays near row_group_bytes whatever the input size. Output bytes
// depend only on the schema, the values, the batch boundaries and the options.
//
// With a memory governor, the writer reserves the memory its buffers use before
// each batch (the previous batch's growth ahead of time). When the budget
// has no room, it flushes the open row group early, so row groups shrink
// under a small budget instead of the export failing. Only an empty row
// group that still cannot get room waits, and then the breaker may trip.
// Row group boundaries then depend on the budget too.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/format_writer.h"
#include "sluice/memory_governor.h"
#include "sluice/options.h"

namespace sluice {

namespace parquet {
class ColumnChunkWriter;
class PageCompressor;
struct RowGroup;
struct FileMetaData;
}  // namespace parquet

class ParquetWriter : public FormatWriter {
 public:
  // Validates the options; throws InvalidInput naming a bad codec or level.
  explicit ParquetWriter(const ParquetWriteOptions& options);
  // Continues a file from checkpoint_state(): begin() then writes nothing,
  // because the sink already has the file's bytes up to the checkpoint.
  // Equivalent to restore(); throws InvalidInput for a malformed state.
  ParquetWriter(const ParquetWriteOptions& options, std::string_view checkpoint_state);
  ~ParquetWriter() override;

  void begin(const Schema& schema, ByteSink& sink) override;
  void write_batch(const Batch& batch) override;
  void finish() override;

  // Closes the open row group, so every buffered byte reaches the sink.
  // Returns the state that lets a new writer continue this file: the file
  // offset, the row count, a schema fingerprint and the metadata of the row
  // groups written so far. Row groups therefore end at the caller's
  // checkpoints as well as at the size and row limits.
  std::optional<std::string> checkpoint_state() override;
  // Continues the file that `state` describes; `sink` already has its bytes.
  void restore(const Schema& schema, ByteSink& sink, const std::string& state) override;
  // Bytes of the open row group not yet handed to the sink: finished pages,
  // dictionaries and the open pages' values.
  uint64_t buffered_bytes() const override;
  // buffered_bytes() plus the footer that finish() writes. An estimate
  // because the open pages are counted uncompressed.
  uint64_t pending_output_bytes() const override;
  // Closes the open row group early (a split output ending a part).
  bool flush_buffered() override;

  // Reserves the writer's buffers from `memory` from now on. Null: no budget.
  // REQUIRES: `memory` outlives the writer.
  void set_memory_governor(MemoryGovernor* memory);
  // Row groups flushed early because of the memory budget: it had no room,
  // or the writer reached half the limit.
  uint64_t memory_flushes() const { return memory_flushes_; }

  // True when no rows are buffered.
  bool at_row_group_boundary() const { return rows_in_group_ == 0; }
  // Bytes handed to the sink so far, including those before a restore.
  uint64_t file_offset() const { return file_offset_; }

 private:
  void flush_row_group();
  void reserve_buffers(uint64_t extra);
  // Flushes the open row group (if any) and frees the buffers the columns
  // keep between chunks, returning their budget.
  void flush_for_memory();
  // The governor's relief: flush_for_memory() unless a call of this writer
  // is under way on this thread (the wait may be inside it).
  void relieve_memory();
  void write(std::string_view bytes);
  uint64_t memory_bytes() const;
  uint64_t held_bytes() const;  // memory_bytes() plus retained buffer capacity
  uint64_t schema_fingerprint() const;
  parquet::FileMetaData footer_without_row_groups() const;
  uint64_t footer_bytes_without_row_groups() const;
  void load_state(std::string_view state);

  ParquetWriteOptions options_;
  ParquetWriteOptions column_options_;  // options_ with page and dictionary limits sized to the schema
  std::unique_ptr<parquet::PageCompressor> compressor_;
  Schema schema_;
  ByteSink* sink_ = nullptr;
  std::vector<std::unique_ptr<parquet::ColumnChunkWriter>> columns_;
  std::vector<parquet::RowGroup> row_groups_;
  uint64_t file_offset_ = 0;
  uint64_t total_rows_ = 0;
  uint64_t rows_in_group_ = 0;
  bool restored_ = false;
  uint64_t restored_fingerprint_ = 0;

  MemoryGovernor* memory_ = nullptr;
  MemoryReservation reservation_;   // covers held_bytes()
  uint64_t last_batch_growth_ = 0;  // memory_bytes() added by the previous batch
  uint64_t memory_flushes_ = 0;
  bool busy_ = false;               // inside a public call that writes or flushes
  uint64_t row_group_budget_ = 0;   // see begin()
  uint64_t footer_bytes_ = 0;       // encoded footer so far, with slack for the row count
  uint64_t last_group_footer_bytes_ = 0;  // footer entry of the last flushed row group
};

// `memory` may be null (no budget).
std::unique_ptr<FormatWriter> MakeParquetWriter(const ExportOptions& options,
                                                MemoryGovernor* memory = nullptr);

}  // namespace sluice
