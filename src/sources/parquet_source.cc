#include "sources/parquet_source.h"

#include <algorithm>

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
  progress.bytes_read = file_->bytes_read();
  progress.total_bytes = file_->size();
  progress.total_rows = total_rows_;
  progress.total_rows_exact = true;
  return progress;
}

std::unique_ptr<Source> OpenParquetSource(const std::string& path, const ExportOptions& options) {
  return std::make_unique<ParquetSource>(path, options);
}

}  // namespace sluice
