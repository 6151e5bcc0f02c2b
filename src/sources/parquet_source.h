// ParquetSource: reads a Parquet file with flat columns, one row group at a
// time, in batches of about chunk_bytes.
//
// Reads PLAIN, dictionary (PLAIN_DICTIONARY and RLE_DICTIONARY),
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT values in data pages v1 and v2, uncompressed or with
// snappy, gzip or zstd. The type mapping is in sources/parquet/column_spec.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sluice/options.h"
#include "sources/source.h"

namespace sluice {

namespace parquet {
class ParquetFile;
class ColumnChunkReader;
struct ColumnSpec;
struct FileMetaData;
}  // namespace parquet

class ParquetSource : public Source {
 public:
  // Opens the file and reads its footer. Throws IOError when the file cannot
  // be opened, InvalidInput for a corrupt footer or a nested column.
  ParquetSource(const std::string& path, const ExportOptions& options);
  ~ParquetSource() override;

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;

  // "row_group=G;group_rows=R;rows=T": the next row is row R of row group G
  // (0-based, counting groups without rows), and T rows came before it.
  std::string position() const override;

  // Continues at a position() of a source opened on the same file. Throws
  // InvalidInput when the position does not fit this file's footer (a row
  // group or row past its end, or a T that does not match the group sizes).
  // NOTE: rows before R in group G are decoded again and dropped, because
  // ColumnChunkReader reads a column chunk from its first page and does not
  // use a page index.
  void seek(const std::string& position) override;

 private:
  bool open_next_row_group();
  void skip_rows_in_group(uint64_t rows);

  std::unique_ptr<parquet::ParquetFile> file_;
  std::unique_ptr<parquet::FileMetaData> metadata_;
  std::vector<parquet::ColumnSpec> specs_;
  Schema schema_;
  uint64_t chunk_bytes_;
  uint64_t total_rows_ = 0;

  size_t next_row_group_ = 0;
  uint64_t rows_left_in_group_ = 0;
  uint64_t rows_per_batch_ = 1;
  std::vector<std::unique_ptr<parquet::ColumnChunkReader>> readers_;
  uint64_t rows_read_ = 0;
  uint64_t skipped_bytes_ = 0;  // compressed column chunks of the row groups seek() passed over
};

std::unique_ptr<Source> OpenParquetSource(const std::string& path, const ExportOptions& options);

}  // namespace sluice
