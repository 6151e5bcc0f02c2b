#include "formats/json_writer.h"

#include "core/counter_state.h"

#include <cmath>

#include "core/decimal.h"
#include "core/temporal.h"
#include "formats/value_text.h"

namespace sluice {

namespace {

// Rows are handed to the sink once the buffer passes this size.
constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

JsonWriter::JsonWriter(bool array, const JsonWriteOptions& options)
    : array_(array), pretty_(array && options.pretty) {}

void JsonWriter::begin(const Schema& schema, ByteSink& sink) {
  sink_ = &sink;
  rows_written_ = 0;
  prepare_keys(schema);

  buffer_.clear();
  if (array_) {
    buffer_.push_back('[');
    flush();
  }
}

void JsonWriter::prepare_keys(const Schema& schema) {
  key_prefixes_.clear();
  for (size_t i = 0; i < schema.size(); ++i) {
    std::string prefix;
    if (i > 0) prefix.append(pretty_ ? ", " : ",");
    altered_values_ += AppendJsonString(prefix, schema[i].name) ? 0 : 1;
    prefix.append(pretty_ ? ": " : ":");
    key_prefixes_.push_back(std::move(prefix));
  }
  row_open_ = pretty_ ? "\n  {" : "{";
  row_close_ = array_ ? "}" : "}\n";
}

std::optional<std::string> JsonWriter::checkpoint_state() {
  flush();
  return "rows_written=" + std::to_string(rows_written_) +
         ";altered_values=" + std::to_string(altered_values_);
}

void JsonWriter::restore(const Schema& schema, ByteSink& sink, const std::string& state) {
  sink_ = &sink;
  prepare_keys(schema);
  rows_written_ = ParseStateCounter(state, "rows_written", "writer checkpoint state");
  altered_values_ = ParseStateCounter(state, "altered_values", "writer checkpoint state");
  buffer_.clear();
}

void JsonWriter::write_batch(const Batch& batch) {
  size_t rows = batch.num_rows();
  for (size_t row = 0; row < rows; ++row) {
    encode_row(batch, row);
    reservation_.cover(buffer_.capacity());
    if (buffer_.size() >= kFlushBytes) flush();
  }
  flush();
}

void JsonWriter::finish() {
  if (array_) buffer_.append(pretty_ && rows_written_ > 0 ? "\n]\n" : "]\n");
  flush();
}

void JsonWriter::encode_row(const Batch& batch, size_t row) {
  if (array_ && rows_written_ > 0) buffer_.push_back(',');
  buffer_.append(row_open_);
  size_t columns = key_prefixes_.size();
  for (size_t c = 0; c < columns; ++c) {
    buffer_.append(key_prefixes_[c]);
    append_value(batch.column(c), row);
  }
  buffer_.append(row_close_);
  ++rows_written_;
}

void JsonWriter::append_value(const Column& column, size_t row) {
  if (column.is_null(row)) {
    buffer_.append("null");
    return;
  }
  switch (column.type().id) {
    case TypeId::kBoolean:
      buffer_.append(column.bool_at(row) ? "true" : "false");
      break;
    case TypeId::kInt64:
      AppendInt64(buffer_, column.int64_at(row));
      break;
    case TypeId::kFloat64: {
      double value = column.double_at(row);
      // JSON has no NaN or infinity, so they travel as strings.
      bool finite = std::isfinite(value);
      if (!finite) buffer_.push_back('"');
      AppendDouble(buffer_, value);
      if (!finite) buffer_.push_back('"');
      break;
    }
    case TypeId::kDecimal:
      AppendDecimal(buffer_, column.decimal_at(row), column.type().scale);
      break;
    case TypeId::kString:
      altered_values_ += AppendJsonString(buffer_, column.bytes_at(row)) ? 0 : 1;
      break;
    case TypeId::kBinary:
      buffer_.push_back('"');
      AppendBase64(buffer_, column.bytes_at(row));
      buffer_.push_back('"');
      break;
    case TypeId::kDate:
      buffer_.push_back('"');
      AppendDate(buffer_, column.int64_at(row));
      buffer_.push_back('"');
      break;
    case TypeId::kTimestamp:
      buffer_.push_back('"');
      AppendTimestamp(buffer_, column.int64_at(row), 'T');
      buffer_.push_back('"');
      break;
    case TypeId::kTimestampTz:
      buffer_.push_back('"');
      AppendTimestamp(buffer_, column.int64_at(row), 'T');
      buffer_.append("Z\"");
      break;
  }
}

void JsonWriter::flush() {
  if (buffer_.empty()) return;
  sink_->write(buffer_);
  buffer_.clear();
  if (buffer_.capacity() > 2 * kFlushBytes) {
    buffer_.shrink_to_fit();  // give back the memory of a long row
    reservation_.cover(buffer_.capacity());
  }
}

}  // namespace sluice
