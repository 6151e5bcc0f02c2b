#include "formats/csv_writer.h"

#include "core/counter_state.h"

#include <cstring>

#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"
#include "formats/formula_guard.h"

namespace sluice {

namespace {

// Rows are handed to the sink once the buffer passes this size, so a batch
// far larger than one chunk still leaves the writer in bounded pieces.
constexpr size_t kFlushBytes = 1 << 20;

constexpr char kUtf8ByteOrderMark[] = "\xEF\xBB\xBF";

std::string Shown(char c) {
  switch (c) {
    case '\n': return "LF";
    case '\r': return "CR";
    case '\t': return "tab";
    default: return std::string("'") + c + "'";
  }
}

// Characters that the default text of a value of `type` can contain. A
// delimiter or quote outside this set can never appear in such a field.
std::string_view PlainAlphabet(TypeId type) {
  switch (type) {
    case TypeId::kBoolean: return "truefals";
    case TypeId::kInt64: return "-0123456789";
    case TypeId::kFloat64: return "-+.e0123456789NaInfity";
    case TypeId::kDecimal: return "-.0123456789";
    case TypeId::kBinary:
      return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    case TypeId::kDate: return "-+0123456789";
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return "-+0123456789T:.Z";
    case TypeId::kString: break;
  }
  return {};
}

void ValidateOptions(const CsvWriteOptions& options) {
  char delimiter = options.delimiter;
  char quote = options.quote;
  if (delimiter == quote) {
    throw InvalidOption("invalid CSV delimiter " + Shown(delimiter) +
                       ": it equals the quote character; choose different characters");
  }
  for (char c : {delimiter, quote}) {
    if (c == '\r' || c == '\n') {
      throw InvalidOption("invalid CSV delimiter or quote " + Shown(c) +
                         ": line breaks end rows; choose another character");
    }
  }
  if (options.line_ending != "\n" && options.line_ending != "\r\n") {
    throw InvalidOption("invalid CSV line ending: use lf (\"\\n\") or crlf (\"\\r\\n\")");
  }
  for (char c : options.null_string) {
    if (c == delimiter || c == quote || c == '\r' || c == '\n') {
      throw InvalidOption("invalid CSV null string '" + options.null_string + "': it contains " +
                         Shown(c) +
                         "; choose text without the delimiter, the quote or line breaks");
    }
  }
}

}  // namespace

CsvWriter::CsvWriter(const CsvWriteOptions& options)
    : options_(options), always_quote_(options.quoting == CsvQuoting::kAlways) {
  ValidateOptions(options_);
  if (!options_.date_format.empty()) date_pattern_.emplace(options_.date_format);
  if (!options_.timestamp_format.empty()) timestamp_pattern_.emplace(options_.timestamp_format);

  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_[static_cast<unsigned char>(options_.quote)] = true;
  special_[static_cast<unsigned char>('\r')] = true;
  special_[static_cast<unsigned char>('\n')] = true;
}

CsvWriter::ColumnPlan CsvWriter::plan_column(const DataType& type) const {
  ColumnPlan plan;
  switch (type.id) {
    case TypeId::kString: plan.is_string = true; return plan;
    case TypeId::kBoolean: plan.append_value = &CsvWriter::append_bool; break;
    case TypeId::kInt64: plan.append_value = &CsvWriter::append_int64; break;
    case TypeId::kFloat64: plan.append_value = &CsvWriter::append_float64; break;
    case TypeId::kDecimal: plan.append_value = &CsvWriter::append_decimal; break;
    case TypeId::kBinary: plan.append_value = &CsvWriter::append_binary; break;
    case TypeId::kDate: plan.append_value = &CsvWriter::append_date; break;
    case TypeId::kTimestamp: plan.append_value = &CsvWriter::append_timestamp; break;
    case TypeId::kTimestampTz: plan.append_value = &CsvWriter::append_timestamptz; break;
  }

  // A custom format may hold any literal text, including spaces.
  bool custom_format = (type.id == TypeId::kDate && date_pattern_) ||
                       ((type.id == TypeId::kTimestamp || type.id == TypeId::kTimestampTz) &&
                        timestamp_pattern_);
  std::string_view alphabet = PlainAlphabet(type.id);
  bool may_hold_special = alphabet.find(options_.delimiter) != std::string_view::npos ||
                          alphabet.find(options_.quote) != std::string_view::npos;
  // Empty binary is the only default text of a non-string type that can be empty.
  bool may_be_empty = type.id == TypeId::kBinary;
  plan.check_quoting = always_quote_ || custom_format || may_hold_special || may_be_empty ||
                       !options_.null_string.empty();
  return plan;
}

void CsvWriter::begin(const Schema& schema, ByteSink& sink) {
  sink_ = &sink;
  plans_.clear();
  for (const Field& field : schema) plans_.push_back(plan_column(field.type));

  buffer_.clear();
  if (options_.byte_order_mark) buffer_.append(kUtf8ByteOrderMark);
  if (options_.header) {
    for (size_t i = 0; i < schema.size(); ++i) {
      if (i > 0) buffer_.push_back(options_.delimiter);
      append_string_field(schema[i].name);
    }
    buffer_.append(options_.line_ending);
  }
  flush();
}

void CsvWriter::write_batch(const Batch& batch) {
  size_t rows = batch.num_rows();
  for (size_t row = 0; row < rows; ++row) {
    encode_row(batch, row);
    reservation_.cover(buffer_.capacity());
    if (buffer_.size() >= kFlushBytes) flush();
  }
  flush();
}

void CsvWriter::finish() { flush(); }

std::optional<std::string> CsvWriter::checkpoint_state() {
  flush();
  return "altered_values=" + std::to_string(altered_values_);
}

void CsvWriter::restore(const Schema& schema, ByteSink& sink, const std::string& state) {
  altered_values_ = ParseStateCounter(state, "altered_values", "writer checkpoint state");
  sink_ = &sink;
  plans_.clear();
  for (const Field& field : schema) plans_.push_back(plan_column(field.type));
  buffer_.clear();
}

void CsvWriter::encode_row(const Batch& batch, size_t row) {
  size_t columns = plans_.size();
  for (size_t c = 0; c < columns; ++c) {
    if (c > 0) buffer_.push_back(options_.delimiter);
    const Column& column = batch.column(c);
    if (column.is_null(row)) {
      buffer_.append(options_.null_string);
      continue;
    }

    const ColumnPlan& plan = plans_[c];
    if (plan.is_string) {
      append_string_field(column.bytes_at(row));
      continue;
    }
    size_t start = buffer_.size();
    (this->*plan.append_value)(column, row);
    if (plan.check_quoting) quote_plain_field(start);
  }
  buffer_.append(options_.line_ending);
}

bool CsvWriter::needs_quotes(std::string_view text) const {
  // An empty value is always quoted: most readers take an empty unquoted
  // field for null, whatever null string this file uses.
  if (text.empty()) return true;
  if (text.size() == options_.null_string.size() && text == options_.null_string) return true;
  char first = text.front();
  char last = text.back();
  if (first == ' ' || first == '\t' || last == ' ' || last == '\t') return true;
  for (char c : text) {
    if (special_[static_cast<unsigned char>(c)]) return true;
  }
  return false;
}

void CsvWriter::append_string_field(std::string_view text) {
  if (options_.formula_guard && NeedsFormulaGuard(text)) {
    ++altered_values_;
    scratch_.assign(1, kFormulaGuardPrefix);
    scratch_.append(text);
    text = scratch_;
  }
  if (always_quote_ || needs_quotes(text)) {
    append_quoted(text);
  } else {
    buffer_.append(text);
  }
}

void CsvWriter::append_quoted(std::string_view text) {
  char quote = options_.quote;
  buffer_.push_back(quote);
  while (true) {
    const void* found = std::memchr(text.data(), quote, text.size());
    if (found == nullptr) break;
    size_t length = static_cast<size_t>(static_cast<const char*>(found) - text.data()) + 1;
    buffer_.append(text.data(), length);
    buffer_.push_back(quote);
    text.remove_prefix(length);
  }
  buffer_.append(text);
  buffer_.push_back(quote);
}

// Quotes the value text appended at buffer_[start..] when the rules ask for
// it. A value without quote characters is wrapped in place; the rare value
// with them is rewritten through scratch_.
void CsvWriter::quote_plain_field(size_t start) {
  std::string_view text(buffer_.data() + start, buffer_.size() - start);
  if (!always_quote_ && !needs_quotes(text)) return;
  if (text.find(options_.quote) == std::string_view::npos) {
    buffer_.insert(buffer_.begin() + static_cast<std::ptrdiff_t>(start), options_.quote);
    buffer_.push_back(options_.quote);
    return;
  }
  scratch_.assign(text);
  buffer_.resize(start);
  append_quoted(scratch_);
}

void CsvWriter::flush() {
  if (buffer_.empty()) return;
  sink_->write(buffer_);
  buffer_.clear();
  if (buffer_.capacity() > 2 * kFlushBytes) {
    buffer_.shrink_to_fit();  // give back the memory of a long row
    reservation_.cover(buffer_.capacity());
  }
}

void CsvWriter::append_bool(const Column& column, size_t row) {
  buffer_.append(column.bool_at(row) ? "true" : "false");
}

void CsvWriter::append_int64(const Column& column, size_t row) {
  AppendInt64(buffer_, column.int64_at(row));
}

void CsvWriter::append_float64(const Column& column, size_t row) {
  AppendDouble(buffer_, column.double_at(row));
}

void CsvWriter::append_decimal(const Column& column, size_t row) {
  AppendDecimal(buffer_, column.decimal_at(row), column.type().scale);
}

void CsvWriter::append_binary(const Column& column, size_t row) {
  AppendBase64(buffer_, column.bytes_at(row));
}

void CsvWriter::append_date(const Column& column, size_t row) {
  if (date_pattern_) {
    date_pattern_->append_date(buffer_, column.int64_at(row));
  } else {
    AppendDate(buffer_, column.int64_at(row));
  }
}

void CsvWriter::append_timestamp(const Column& column, size_t row) {
  if (timestamp_pattern_) {
    timestamp_pattern_->append_timestamp(buffer_, column.int64_at(row));
  } else {
    AppendTimestamp(buffer_, column.int64_at(row), 'T');
  }
}

void CsvWriter::append_timestamptz(const Column& column, size_t row) {
  append_timestamp(column, row);
  if (!timestamp_pattern_) buffer_.push_back('Z');
}

}  // namespace sluice
