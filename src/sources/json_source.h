// JsonSource: rows from an NDJSON file or a JSON array of objects.
#pragma once

#include <memory>
#include <string>

#include "sluice/options.h"
#include "sources/json_object_reader.h"
#include "sources/json_row_decoder.h"
#include "sources/source.h"

namespace sluice {

// Streams objects through a bounded buffer; the document is never loaded
// whole. Each object is one row and its keys pick the columns.
//
// The schema is options.csv_read.schema when set (keys outside it are
// ignored); otherwise it is inferred from the first
// options.csv_read.sample_rows objects (see JsonSchemaInference), which are
// then read again as rows. After inference, a key the sample did not contain,
// or a value that does not fit its column's type, stops the read with an
// error naming the line, or drops the row with options.skip_bad_rows.
class JsonSource : public Source {
 public:
  // `is_array`: the file is one JSON array of objects, else NDJSON.
  // Throws IOError when the file cannot be read and InvalidInput for
  // malformed JSON or an invalid schema. With `memory`, the readers'
  // buffers are reserved from it once an object needs more than
  // kUnreservedBufferBytes, and an object too large for the budget throws
  // Error(kMemoryLimit).
  JsonSource(std::string path, bool is_array, const ExportOptions& options, MemoryGovernor* memory = nullptr);

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;
  uint64_t skipped_rows() const override { return reader_->skipped_rows() + skipped_rows_; }

  // The reader's position (byte offset, line, column) and the row counters.
  std::string position() const override;
  void seek(const std::string& position) override;

 private:
  void infer_schema(const std::string& path, bool is_array, const ExportOptions& options, MemoryGovernor* memory);
  [[noreturn]] void fail_row(const JsonRowProblem& problem) const;

  Schema schema_;
  bool explicit_schema_;
  bool skip_bad_rows_;
  uint64_t chunk_bytes_;
  uint64_t sample_rows_;
  std::unique_ptr<JsonObjectReader> reader_;
  std::unique_ptr<JsonRowDecoder> decoder_;
  std::vector<JsonMember> members_;
  uint64_t rows_read_ = 0;
  uint64_t skipped_rows_ = 0;  // objects that did not fit the schema
};

}  // namespace sluice
