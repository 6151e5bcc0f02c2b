// ColumnChunkReader: streams one column chunk page by page. Memory is one
// compressed and one decompressed page plus the dictionary, however large
// the row group is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/batch.h"
#include "formats/parquet/parquet_metadata.h"
#include "sources/parquet/column_spec.h"
#include "sources/parquet/parquet_file.h"
#include "sources/parquet/value_decoding.h"

namespace sluice::parquet {

class ColumnChunkReader {
 public:
  // REQUIRES: file outlives the reader. Throws InvalidInput when the chunk's
  // byte range lies outside the file.
  ColumnChunkReader(ParquetFile& file, const ColumnSpec& spec, const ColumnMetaData& meta);

  // Appends the next `count` rows to column. Throws InvalidInput when the
  // chunk has fewer rows or a page is corrupt.
  void read(Column& column, size_t count);

 private:
  void next_page_with_context();
  void load_next_data_page();
  PageHeader read_page_header();
  void load_dictionary(const PageHeader& header, std::string_view body);
  void load_data_page(const PageHeader& header, std::string_view page);
  void decode_levels(std::string_view levels, size_t num_values);
  void append_value(Column& column, const DecodedValues& values, size_t index) const;
  [[noreturn]] void corrupt(const std::string& what) const;

  ParquetFile& file_;
  const ColumnSpec& spec_;
  Codec codec_;
  uint64_t offset_;  // next page header in the file
  uint64_t end_;     // end of the chunk

  DecodedValues dictionary_;
  bool has_dictionary_ = false;

  // The current data page.
  size_t page_values_ = 0;            // levels, nulls included
  size_t level_position_ = 0;
  std::vector<uint8_t> levels_;       // definition levels; empty for REQUIRED columns
  bool dictionary_encoded_ = false;
  std::vector<uint32_t> indices_;     // dictionary-encoded pages
  DecodedValues values_;              // other pages
  size_t value_position_ = 0;

  std::string raw_;
  std::string decompressed_;
};

}  // namespace sluice::parquet
