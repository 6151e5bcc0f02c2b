// ColumnChunkWriter: encodes one column of the open row group into data
// pages (v1) and keeps them, compressed, until the row group is flushed.
//
// Values go to RLE_DICTIONARY pages while the chunk's dictionary stays under
// dictionary_page_bytes. Once it passes, the open page is closed and the rest
// of the chunk is PLAIN. The format allows a chunk to mix both, because the
// dictionary page still serves the earlier pages. The chunk also switches to
// PLAIN when, checked every 8192 dictionary-encoded values, the dictionary
// and its indices already take more bytes than PLAIN values would (mostly
// distinct values). Booleans are always PLAIN.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/batch.h"
#include "formats/parquet/dictionary_encoder.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/statistics.h"
#include "sinks/byte_sink.h"
#include "sluice/options.h"

namespace sluice::parquet {

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const Field& field, const ParquetWriteOptions& options, PageCompressor& compressor);

  // Encodes rows [begin, end) of `column`. REQUIRES: column has the field's type.
  void write(const Column& column, size_t begin, size_t end);

  // Memory held for the open chunk: finished pages, the open page and the dictionary.
  size_t buffered_bytes() const;
  // Like buffered_bytes(), but counting the capacity the open page's buffers
  // keep between pages and the compression scratch buffer, for a memory budget.
  size_t held_bytes() const;
  // Estimated bytes that flush() would write: the finished pages, plus the
  // dictionary and the open page as if stored uncompressed (indices at the
  // dictionary's bit width), plus their page headers.
  size_t pending_bytes() const;

  // Frees the open page's buffers and the dictionary that the writer keeps
  // between chunks, for when memory is short. REQUIRES: called right after flush().
  void release_memory();

  // Writes the chunk's pages to `sink`, where they start at file_offset, and
  // returns its metadata. The writer is then empty, ready for the next row group.
  ColumnChunk flush(ByteSink& sink, int64_t file_offset);

 private:
  template <class Append>
  void write_rows(const Column& column, size_t begin, size_t end, Append&& append_value);
  void append_fixed(const void* bytes, int width);
  void append_byte_array(std::string_view value);
  bool dictionary_pays_off() const;
  void close_page();
  std::string encode_page_body(Encoding& encoding);
  void append_page(PageType type, const std::string& body, int32_t num_values, Encoding encoding,
                   std::string& out);

  Field field_;
  SchemaElement element_;
  const ParquetWriteOptions& options_;
  PageCompressor& compressor_;
  bool optional_;
  bool use_dictionary_;      // for the rest of this chunk
  uint64_t dictionary_values_ = 0;     // values encoded through the dictionary in this chunk
  uint64_t plain_equivalent_bytes_ = 0;  // their size had they been PLAIN
  DictionaryEncoder dictionary_;
  StatisticsBuilder statistics_;

  // The open page.
  std::vector<uint8_t> definition_levels_;
  std::vector<uint32_t> indices_;        // dictionary mode
  std::vector<uint32_t> booleans_;       // BOOLEAN columns, one value per entry
  std::string plain_;                    // PLAIN mode
  size_t page_values_ = 0;               // levels in the page, nulls included

  // The chunk so far.
  // Page headers and compressed bodies, one string per page. Separate
  // strings are freed piece by piece and never copied to grow, so the
  // chunk uses about what it has encoded, not up to twice that.
  std::vector<std::string> pages_;
  size_t pages_bytes_ = 0;               // total size of pages_
  int64_t num_values_ = 0;
  int64_t uncompressed_bytes_ = 0;       // of pages_, headers included
  bool wrote_dictionary_page_data_ = false;
  bool used_plain_ = false;
  bool used_levels_ = false;
  std::string compressed_;
};

}  // namespace sluice::parquet
