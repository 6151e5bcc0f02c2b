#include "sources/csv_source.h"

#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "core/counter_state.h"
#include "core/error.h"
#include "sources/type_inference.h"

namespace sluice {

namespace {

constexpr const char* kSkipHint = "use --skip-bad-rows to skip malformed rows";

// A character for messages: printable ones quoted, others by name.
std::string CharName(char c) {
  switch (c) {
    case '\t': return "tab";
    case '\n': return "LF";
    case '\r': return "CR";
    case '\0': return "NUL";
    default: return std::string("'") + c + "'";
  }
}

// A field value for messages: line breaks shown as \n and \r, and cut after
// 60 bytes at a UTF-8 character boundary.
std::string ValueForMessage(std::string_view value) {
  constexpr size_t kMaxBytes = 60;
  bool cut = value.size() > kMaxBytes;
  if (cut) {
    size_t end = kMaxBytes;
    while (end > 0 && (static_cast<uint8_t>(value[end]) & 0xC0) == 0x80) --end;
    value = value.substr(0, end);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out.push_back(c);
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

std::string Location(TextPosition position, size_t field_number) {
  return "line " + std::to_string(position.line) + ", column " +
         std::to_string(position.column) + " (field " + std::to_string(field_number) + ")";
}

std::string ProblemText(CsvProblem problem, uint8_t byte) {
  switch (problem) {
    case CsvProblem::kUnterminatedQuote:
      return "unterminated quoted field; close the quote";
    case CsvProblem::kTextAfterQuote:
      return "unexpected text after a closing quote; quote the whole field and double "
             "each quote inside it";
    case CsvProblem::kInvalidUtf8: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      return std::string("invalid UTF-8 byte ") + hex + "; convert the file to UTF-8";
    }
    case CsvProblem::kNulByte:
      return "NUL byte (is the file binary or UTF-16?); convert the file to UTF-8 text";
    case CsvProblem::kNone: break;
  }
  return "unknown problem";
}

// Column names from a header: an empty name becomes columnN and a repeated
// name gets a suffix (_2, _3, ...), because writers such as Parquet and Avro
// need distinct names.
std::vector<std::string> UniqueColumnNames(std::vector<std::string> names) {
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) names[i] = "column" + std::to_string(i + 1);
    if (seen.insert(names[i]).second) continue;
    for (int suffix = 2;; ++suffix) {
      std::string candidate = names[i] + "_" + std::to_string(suffix);
      if (seen.insert(candidate).second) {
        names[i] = candidate;
        break;
      }
    }
  }
  return names;
}

}  // namespace

CsvSource::CsvSource(std::string path, const ExportOptions& options, size_t block_bytes,
                     MemoryGovernor* memory)
    : path_(std::move(path)),
      read_options_(options.csv_read),
      chunk_bytes_(options.chunk_bytes),
      skip_bad_rows_(options.skip_bad_rows),
      block_bytes_(block_bytes),
      max_sample_bytes_(memory != nullptr ? std::min<uint64_t>(kMaxSampleBytes, memory->limit() / 8)
                                          : kMaxSampleBytes) {
  validate_dialect();
  input_ = std::make_unique<InputStream>(path_);
  CsvDialect dialect{read_options_.delimiter, read_options_.quote, read_options_.escape};
  tokenizer_ = std::make_unique<CsvTokenizer>(input_->reader(), dialect, block_bytes_);
  tokenizer_->set_memory_governor(memory);

  std::vector<std::string> header;
  if (read_options_.header) header = read_header();
  if (!read_options_.schema.empty()) {
    use_explicit_schema(header);
  } else {
    infer_schema(header);
  }
  row_values_.resize(schema_.size());
  row_nulls_.resize(schema_.size());
}

void CsvSource::validate_dialect() const {
  auto check = [](char c, const char* option) {
    if (c == '\n' || c == '\r' || c == '\0' || static_cast<uint8_t>(c) >= 0x80) {
      throw InvalidInput(std::string("invalid ") + option + " " + CharName(c) +
                         ": use a single ASCII character other than CR, LF and NUL");
    }
  };
  check(read_options_.delimiter, "--input-delimiter");
  check(read_options_.quote, "--input-quote");
  check(read_options_.escape, "--input-escape");
  if (read_options_.quote == read_options_.delimiter) {
    throw InvalidInput("invalid --input-quote " + CharName(read_options_.quote) +
                       ": it equals the delimiter; pick a different quote character");
  }
  if (read_options_.escape == read_options_.delimiter) {
    throw InvalidInput("invalid --input-escape " + CharName(read_options_.escape) +
                       ": it equals the delimiter; pick a different escape character");
  }
}

// Reads the first record that is not an empty line. A malformed header is
// always an error, even with skip-bad-rows, because it names every column.
std::vector<std::string> CsvSource::read_header() {
  std::vector<std::string> names;
  while (tokenizer_->next_record()) {
    if (tokenizer_->record_is_empty_line()) continue;
    if (tokenizer_->problem() != CsvProblem::kNone) {
      throw InvalidInput("invalid CSV header at " +
                         Location(tokenizer_->problem_position(), tokenizer_->problem_field() + 1) +
                         ": " + ProblemText(tokenizer_->problem(), tokenizer_->problem_byte()));
    }
    for (size_t i = 0; i < tokenizer_->num_fields(); ++i) {
      names.emplace_back(tokenizer_->field(i));
    }
    expected_fields_ = names.size();
    return UniqueColumnNames(std::move(names));
  }
  if (read_options_.schema.empty()) {
    throw InvalidInput("CSV file '" + path_ + "' is empty: it has no header row; pass a file "
                       "with a header, or --schema for an empty file");
  }
  return names;
}

// The schema's names win over the header's, so --schema can also rename
// columns. The header still sets how many fields each row must have.
void CsvSource::use_explicit_schema(const std::vector<std::string>& header) {
  schema_ = ParseSchemaSpec(read_options_.schema);
  if (expected_fields_ != 0 && header.size() != schema_.size()) {
    std::string names;
    for (const std::string& name : header) names += (names.empty() ? "" : ", ") + name;
    throw InvalidInput("--schema lists " + std::to_string(schema_.size()) +
                       " columns but the header of '" + path_ + "' has " +
                       std::to_string(header.size()) + " (" + names +
                       "); list one name:type for each column");
  }
  expected_fields_ = schema_.size();
}

// Reads up to sample_rows rows, infers each column's type, then rewinds so
// next_batch() reads the same rows again. Malformed rows in the sample are
// reported (or skipped) here. The skip count restarts because the replay
// counts them again.
void CsvSource::infer_schema(const std::vector<std::string>& header) {
  tokenizer_->set_mark();
  std::vector<TextTypeInference> columns;
  if (!header.empty()) columns.assign(header.size(), TextTypeInference(read_options_.infer_decimals));

  while (sample_rows_read_ < read_options_.sample_rows &&
         tokenizer_->retained_bytes() < max_sample_bytes_ && next_row()) {
    if (columns.empty()) {
      columns.assign(expected_fields_, TextTypeInference(read_options_.infer_decimals));
    }
    DataType string_type{TypeId::kString};
    for (size_t i = 0; i < columns.size(); ++i) {
      if (!is_null(i, string_type)) columns[i].add(tokenizer_->field(i));
    }
    ++sample_rows_read_;
  }
  tokenizer_->rewind_to_mark();
  skipped_rows_ = 0;

  if (expected_fields_ == 0) {
    throw InvalidInput("CSV file '" + path_ + "' has no rows; pass a file with at least one " +
                       "row, or --schema for an empty file");
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    std::string name = header.empty() ? "column" + std::to_string(i + 1) : header[i];
    schema_.push_back(Field{std::move(name), columns[i].type(), true});
  }
  schema_inferred_ = true;
}

// Advances to the next well-formed record with the expected number of
// fields. Empty lines are skipped unless the file has a single column,
// where an empty line is a null value.
bool CsvSource::next_row() {
  while (tokenizer_->next_record()) {
    if (tokenizer_->record_is_empty_line() && expected_fields_ != 1 &&
        tokenizer_->problem() == CsvProblem::kNone) {
      continue;
    }
    if (tokenizer_->problem() != CsvProblem::kNone) {
      reject_malformed_record();
      continue;
    }
    if (expected_fields_ == 0) expected_fields_ = tokenizer_->num_fields();
    if (tokenizer_->num_fields() != expected_fields_) {
      reject_field_count();
      continue;
    }
    return true;
  }
  return false;
}

bool CsvSource::is_null(size_t field, const DataType& type) const {
  std::string_view text = tokenizer_->field(field);
  if (!tokenizer_->field_quoted(field) && text == read_options_.null_string) return true;
  return text.empty() && type.id != TypeId::kString && type.id != TypeId::kBinary;
}

bool CsvSource::next_batch(Batch& batch) {
  batch.clear();
  uint64_t batch_start = tokenizer_->consumed_bytes();
  while (batch.num_rows() == 0 || tokenizer_->consumed_bytes() - batch_start < chunk_bytes_) {
    if (!next_row()) break;
    if (parse_row()) append_row(batch);
  }
  rows_read_ += batch.num_rows();
  return batch.num_rows() > 0;
}

// Parses every field of the current record into row_values_, so a row with
// a bad value is dropped whole. Returns false when the row was skipped.
bool CsvSource::parse_row() {
  for (size_t i = 0; i < schema_.size(); ++i) {
    const Field& field = schema_[i];
    row_nulls_[i] = is_null(i, field.type);
    if (row_nulls_[i]) continue;
    std::string_view text = tokenizer_->field(i);
    if (ParseTextValue(field.type, text, row_values_[i])) continue;

    std::string origin = schema_inferred_
        ? "inferred from the first " + std::to_string(sample_rows_read_) + " rows"
        : "as --schema declares";
    std::string fix = schema_inferred_
        ? "pass --schema listing this column as " + field.name + ":string"
        : "fix the value or its type in --schema";
    reject_row("invalid value " + ValueForMessage(text) + " at " +
               Location(tokenizer_->field_position(i), i + 1) + ", column '" + field.name +
               "': not a valid " + TypeName(field.type) + " (" + origin + "); " + fix +
               ", or use --skip-bad-rows to skip such rows");
    return false;
  }
  return true;
}

void CsvSource::append_row(Batch& batch) {
  for (size_t i = 0; i < schema_.size(); ++i) {
    Column& column = batch.column(i);
    if (row_nulls_[i]) {
      column.append_null();
    } else {
      AppendTextValue(column, row_values_[i]);
    }
  }
}

void CsvSource::reject_malformed_record() {
  reject_row("invalid CSV at " +
             Location(tokenizer_->problem_position(), tokenizer_->problem_field() + 1) + ": " +
             ProblemText(tokenizer_->problem(), tokenizer_->problem_byte()) + " or " + kSkipHint);
}

void CsvSource::reject_field_count() {
  size_t found = tokenizer_->num_fields();
  bool too_many = found > expected_fields_;
  TextPosition position = too_many ? tokenizer_->field_position(expected_fields_)
                                   : tokenizer_->record_end_position();
  size_t field_number = too_many ? expected_fields_ + 1 : found + 1;
  reject_row("invalid CSV at " + Location(position, field_number) + ": expected " +
             std::to_string(expected_fields_) + " fields but found " + std::to_string(found) +
             "; check the delimiter (" + CharName(read_options_.delimiter) +
             ") and the quoting, or " + kSkipHint);
}

void CsvSource::reject_row(const std::string& message) {
  if (!skip_bad_rows_) throw InvalidInput(message);
  ++skipped_rows_;
}

SourceProgress CsvSource::progress() const {
  SourceProgress progress;
  progress.rows_read = rows_read_;
  // Compressed input is measured in file bytes, read ahead of the rows by at
  // most one input buffer, so it compares with the file size.
  progress.bytes_read = input_->compression() == InputCompression::kNone
                            ? tokenizer_->consumed_bytes()
                            : input_->file_bytes_read();
  progress.total_bytes = input_->file_size();
  return progress;
}

std::string CsvSource::position() const {
  return "offset=" + std::to_string(tokenizer_->consumed_bytes()) + ";rows=" + std::to_string(rows_read_) +
         ";skipped=" + std::to_string(skipped_rows_);
}

void CsvSource::seek(const std::string& position) {
  const std::string what = "CSV source position";
  uint64_t offset = ParseStateCounter(position, "offset", what);
  while (tokenizer_->consumed_bytes() < offset && tokenizer_->next_record()) {
  }
  if (tokenizer_->consumed_bytes() != offset) {
    throw InvalidInput("cannot resume reading '" + path_ + "' at byte " + std::to_string(offset) +
                       ": no record starts there; start the export again");
  }
  rows_read_ = ParseStateCounter(position, "rows", what);
  skipped_rows_ = ParseStateCounter(position, "skipped", what);
}

}  // namespace sluice
