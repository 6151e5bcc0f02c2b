#include "sources/parquet_source.h"

#include <algorithm>

#include "core/counter_state.h"
#include "core/error.h"
#include "formats/parquet/parquet_metadata.h"
#include "sources/parquet/column_chunk_reader.h"
#include "sources/parquet/column_spec.h"
#include "sources/parquet/parquet_file.h"

namespace sluice {

namespace {

constexpr uint64_t kMaxRowsPerBatch = 1 << 20;

}  // namespace

ParquetSource::ParquetSource(const std::string& path, const ExportOptions& options)
    : file_(std::make_unique<parquet::ParquetFile>(path)), chunk_bytes_(options.chunk_bytes) {
  metadata_ = std::make_unique<parquet::FileMetaData>(file_->read_footer());
  specs_ = parquet::MapParquetSchema(*metadata_);
  for (const parquet::ColumnSpec& spec : specs_) schema_.push_back(spec.field);

  for (const parquet::RowGroup& group : metadata_->row_groups) {
    if (group.num_rows < 0) throw InvalidInput("corrupt Parquet file '" + path + "': a row group has a negative row count");
    if (group.num_rows > 0 && group.columns.size() != specs_.size()) {
      throw InvalidInput("corrupt Parquet file '" + path + "': a row group has " +
                         std::to_string(group.columns.size()) + " column chunks for " +
                         std::to_string(specs_.size()) + " columns");
    }
    total_rows_ += static_cast<uint64_t>(group.num_rows);
  }
}

ParquetSource::~ParquetSource() = default;

bool ParquetSource::open_next_row_group() {
  while (next_row_group_ < metadata_->row_groups.size()) {
    const parquet::RowGroup& group = metadata_->row_groups[next_row_group_++];
    if (group.num_rows == 0) continue;
    readers_.clear();
    for (size_t i = 0; i < specs_.size(); ++i) {
      readers_.push_back(std::make_unique<parquet::ColumnChunkReader>(*file_, specs_[i], group.columns[i].meta_data));
    }
    rows_left_in_group_ = static_cast<uint64_t>(group.num_rows);
    // total_byte_size is the group's uncompressed size, a fair estimate of its batch bytes.
    uint64_t bytes_per_row = std::max<uint64_t>(1, static_cast<uint64_t>(std::max<int64_t>(group.total_byte_size, 0)) /
                                                       rows_left_in_group_);
    rows_per_batch_ = std::clamp<uint64_t>(chunk_bytes_ / bytes_per_row, 1, kMaxRowsPerBatch);
    return true;
  }
  return false;
}

bool ParquetSource::next_batch(Batch& batch) {
  batch.clear();
  if (specs_.empty()) return false;
  if (rows_left_in_group_ == 0 && !open_next_row_group()) return false;
  uint64_t rows = std::min(rows_left_in_group_, rows_per_batch_);
  for (size_t i = 0; i < readers_.size(); ++i) readers_[i]->read(batch.column(i), rows);
  rows_left_in_group_ -= rows;
  rows_read_ += rows;
  return true;
}

SourceProgress ParquetSource::progress() const {
  SourceProgress progress;
  progress.rows_read = rows_read_;
  progress.bytes_read = file_->bytes_read() + skipped_bytes_;
  progress.total_bytes = file_->size();
  progress.total_rows = total_rows_;
  progress.total_rows_exact = true;
  return progress;
}

std::string ParquetSource::position() const {
  // Between row groups the next row is the first of the next group to open.
  size_t group = next_row_group_;
  uint64_t group_rows = 0;
  if (rows_left_in_group_ > 0) {
    group = next_row_group_ - 1;
    group_rows = static_cast<uint64_t>(metadata_->row_groups[group].num_rows) - rows_left_in_group_;
  }
  return "row_group=" + std::to_string(group) + ";group_rows=" + std::to_string(group_rows) +
         ";rows=" + std::to_string(rows_read_);
}

void ParquetSource::seek(const std::string& position) {
  const std::string description = "Parquet source position";
  uint64_t group = ParseStateCounter(position, "row_group", description);
  uint64_t group_rows = ParseStateCounter(position, "group_rows", description);
  uint64_t rows = ParseStateCounter(position, "rows", description);
  const std::vector<parquet::RowGroup>& groups = metadata_->row_groups;
  std::string invalid = "invalid Parquet source position '" + position + "' for '" + file_->path() + "': ";

  if (group > groups.size()) {
    throw InvalidInput(invalid + "the file has only " + std::to_string(groups.size()) +
                       (groups.size() == 1 ? " row group" : " row groups") +
                       "; the file changed since the position was taken, so start the export again");
  }
  uint64_t group_size = group < groups.size() ? static_cast<uint64_t>(groups[group].num_rows) : 0;
  if (group_rows > 0 && group_rows >= group_size) {
    throw InvalidInput(invalid + "row group " + std::to_string(group) + " has " + std::to_string(group_size) +
                       " rows; the file changed since the position was taken, so start the export again");
  }
  uint64_t rows_before = 0;
  for (size_t i = 0; i < group; ++i) rows_before += static_cast<uint64_t>(groups[i].num_rows);
  if (rows != rows_before + group_rows) {
    throw InvalidInput(invalid + "its row count " + std::to_string(rows) + " does not match the " +
                       std::to_string(rows_before + group_rows) + " rows that the footer places before it" +
                       "; the file changed since the position was taken, so start the export again");
  }

  // Progress counts the groups before the position as read, so a resumed
  // export reports about the percentage the original did there.
  skipped_bytes_ = 0;
  for (size_t i = 0; i < group; ++i) {
    for (const parquet::ColumnChunk& chunk : groups[i].columns) {
      skipped_bytes_ += static_cast<uint64_t>(std::max<int64_t>(chunk.meta_data.total_compressed_size, 0));
    }
  }

  next_row_group_ = group;
  rows_left_in_group_ = 0;
  readers_.clear();
  rows_read_ = rows;
  if (group_rows > 0) {
    open_next_row_group();
    skip_rows_in_group(group_rows);
  }
}

// Decodes `rows` rows of the open row group in batches of the usual size and
// drops them, so the batches that follow start where the original ones did.
void ParquetSource::skip_rows_in_group(uint64_t rows) {
  Batch scratch(schema_);
  while (rows > 0) {
    scratch.clear();
    uint64_t count = std::min(rows, rows_per_batch_);
    for (size_t i = 0; i < readers_.size(); ++i) readers_[i]->read(scratch.column(i), count);
    rows -= count;
    rows_left_in_group_ -= count;
  }
}

std::unique_ptr<Source> OpenParquetSource(const std::string& path, const ExportOptions& options) {
  return std::make_unique<ParquetSource>(path, options);
}

}  // namespace sluice
