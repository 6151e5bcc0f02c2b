// CsvSource: reads a CSV (or TSV) file as typed batches.
//
// A gzip or zstd file is decompressed as it is read (see input_stream.h).
// Column types come from --schema when it is set, else from a sample of the
// first csv_read.sample_rows rows (see type_inference.h). The sample is kept
// in the tokenizer's buffer and replayed, so the file is read once. Memory is
// bounded by the read buffer, the sample (at most kMaxSampleBytes of input)
// and one batch of about chunk_bytes of input.
//
// Nulls: an unquoted field equal to csv_read.null_string (empty by default)
// is null, and a quoted empty field is an empty string. For every type but
// string and binary an empty field, quoted or not, is null.
//
// Messages locate problems by physical line (1-based, counting line breaks
// inside quoted fields too), column (1-based byte offset within that line)
// and field number (1-based).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/options.h"
#include "sources/csv_tokenizer.h"
#include "sources/input_stream.h"
#include "sources/source.h"
#include "sources/text_value.h"

namespace sluice {

class CsvSource : public Source {
 public:
  // Maximum input bytes kept in memory for the type-inference sample. The
  // sample ends before sample_rows rows when it reaches this size, or an
  // eighth of the memory budget when that is less. The sample's buffer stays
  // reserved until the sample is read again as rows, and meanwhile the
  // writer and uploads need the rest of the budget.
  static constexpr size_t kMaxSampleBytes = 16 * 1024 * 1024;

  // Opens `path` and reads the header and the inference sample, so malformed
  // rows among them are reported here. `block_bytes` is the size of one read
  // (tests make it small to put block boundaries inside fields). With
  // `memory`, the read buffer is reserved from it once it grows past
  // kUnreservedBufferBytes (for the sample or a long record), and a record
  // that does not fit the budget throws Error(kMemoryLimit).
  CsvSource(std::string path, const ExportOptions& options,
            size_t block_bytes = kCsvBlockBytes, MemoryGovernor* memory = nullptr);

  CsvSource(const CsvSource&) = delete;
  CsvSource& operator=(const CsvSource&) = delete;

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;
  uint64_t skipped_rows() const override { return skipped_rows_; }

  // The position is the input offset of the next record (decompressed bytes
  // for compressed input) and the row counters.
  // NOTE: seek() tokenizes the input up to the offset instead of seeking the
  // file, so it costs a read of the skipped part; that also works for
  // compressed input.
  std::string position() const override;
  void seek(const std::string& position) override;

 private:
  void validate_dialect() const;
  std::vector<std::string> read_header();
  void use_explicit_schema(const std::vector<std::string>& header);
  void infer_schema(const std::vector<std::string>& header);
  bool next_row();
  bool parse_row();
  void append_row(Batch& batch);
  bool is_null(size_t field, const DataType& type) const;
  void reject_malformed_record();
  void reject_field_count();
  void reject_row(const std::string& message);

  std::string path_;
  CsvReadOptions read_options_;
  uint64_t chunk_bytes_;
  bool skip_bad_rows_;
  size_t block_bytes_;
  uint64_t max_sample_bytes_;

  std::unique_ptr<InputStream> input_;
  std::unique_ptr<CsvTokenizer> tokenizer_;

  Schema schema_;
  bool schema_inferred_ = false;
  uint64_t sample_rows_read_ = 0;
  size_t expected_fields_ = 0;  // fields per record; 0 until the header or first record

  std::vector<TextValue> row_values_;
  std::vector<uint8_t> row_nulls_;
  uint64_t rows_read_ = 0;
  uint64_t skipped_rows_ = 0;
};

}  // namespace sluice
