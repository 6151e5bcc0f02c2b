#include "sources/json_source.h"

#include <algorithm>

#include "core/counter_state.h"
#include "core/error.h"
#include "sources/json_schema_inference.h"

namespace sluice {

JsonSource::JsonSource(std::string path, bool is_array, const ExportOptions& options, MemoryGovernor* memory)
    : explicit_schema_(!options.csv_read.schema.empty()),
      skip_bad_rows_(options.skip_bad_rows),
      chunk_bytes_(options.chunk_bytes),
      sample_rows_(std::max<uint64_t>(1, options.csv_read.sample_rows)) {
  if (explicit_schema_) {
    schema_ = ParseSchemaSpec(options.csv_read.schema);
  } else {
    infer_schema(path, is_array, options, memory);
  }
  reader_ = std::make_unique<JsonObjectReader>(std::move(path), is_array, skip_bad_rows_);
  reader_->set_memory_governor(memory);
  decoder_ = std::make_unique<JsonRowDecoder>(schema_, explicit_schema_);
}

// Reads the sample with a reader of its own, so the rows are read again from
// the start once the schema is fixed.
void JsonSource::infer_schema(const std::string& path, bool is_array, const ExportOptions& options,
                              MemoryGovernor* memory) {
  JsonObjectReader sample(path, is_array, options.skip_bad_rows);
  sample.set_memory_governor(memory);
  JsonSchemaInference inference(options.csv_read.infer_decimals);
  uint64_t objects = 0;
  while (objects < sample_rows_ && sample.next(members_)) {
    inference.add(members_);
    ++objects;
  }
  schema_ = inference.schema();
  if (schema_.empty() && objects > 0) {
    throw InvalidInput("the first " + std::to_string(objects) + " objects of '" + path +
                       "' hold no keys, so there are no columns; give the columns with --schema");
  }
}

bool JsonSource::next_batch(Batch& batch) {
  batch.clear();
  if (schema_.empty()) return false;

  // A batch ends after about one chunk of input bytes. A chunk whose rows
  // were all dropped as bad yields no batch, so reading goes on.
  JsonRowProblem problem;
  for (;;) {
    uint64_t batch_end = reader_->bytes_consumed() + chunk_bytes_;
    bool more = true;
    while (more && reader_->bytes_consumed() < batch_end) {
      more = reader_->next(members_);
      if (!more) break;
      if (decoder_->append_row(members_, batch, problem)) {
        ++rows_read_;
      } else if (skip_bad_rows_) {
        ++skipped_rows_;
      } else {
        fail_row(problem);
      }
    }
    if (batch.num_rows() > 0) return true;
    if (!more) return false;
  }
}

void JsonSource::fail_row(const JsonRowProblem& problem) const {
  std::string where = "line " + std::to_string(reader_->object_line()) + " of '" + reader_->path() + "'";
  if (problem.kind == JsonRowProblem::Kind::kUnknownKey) {
    throw InvalidInput("key '" + problem.column + "' at " + where + " is not among the columns inferred from the first " +
                       std::to_string(sample_rows_) + " objects; list every column with --schema, "
                       "or drop such rows with --skip-bad-rows");
  }
  const Field* field = nullptr;
  for (const Field& candidate : schema_) {
    if (candidate.name == problem.column) field = &candidate;
  }
  std::string type = field != nullptr ? TypeName(field->type) : "its type";
  throw InvalidInput("value " + problem.value + " of column '" + problem.column + "' at " + where +
                     " is not a valid " + type + "; declare the column's type with --schema (for example \"" +
                     problem.column + ":string\"), or drop such rows with --skip-bad-rows");
}

SourceProgress JsonSource::progress() const {
  SourceProgress progress;
  progress.rows_read = rows_read_;
  progress.bytes_read = reader_->bytes_consumed();
  if (reader_->file_size() > 0) progress.total_bytes = reader_->file_size();
  return progress;
}

std::string JsonSource::position() const {
  return reader_->position() + ";rows=" + std::to_string(rows_read_) + ";skipped=" + std::to_string(skipped_rows_);
}

void JsonSource::seek(const std::string& position) {
  reader_->seek(position);
  rows_read_ = ParseStateCounter(position, "rows", "JSON source position");
  skipped_rows_ = ParseStateCounter(position, "skipped", "JSON source position");
}

}  // namespace sluice
