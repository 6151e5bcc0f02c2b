#include "sources/sqlite_source.h"

#include <sqlite3.h>

#include <strings.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "core/counter_state.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/temporal.h"
#include "sources/sqlite_type_mapping.h"

namespace sluice {

namespace {

constexpr size_t kMaxMessageValueBytes = 60;
constexpr int kBusyTimeoutMilliseconds = 5000;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

std::string QuoteIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted.push_back(c);
    if (c == '"') quoted.push_back('"');
  }
  quoted.push_back('"');
  return quoted;
}

std::string_view ColumnText(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  int size = sqlite3_column_bytes(statement, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::string_view ColumnBlob(sqlite3_stmt* statement, int column) {
  const void* blob = sqlite3_column_blob(statement, column);
  int size = sqlite3_column_bytes(statement, column);
  if (blob == nullptr) return {};
  return std::string_view(static_cast<const char*>(blob), static_cast<size_t>(size));
}

template <typename Number>
bool ParseWhole(std::string_view text, Number& value) {
  const char* end = text.data() + text.size();
  auto result = std::from_chars(text.data(), end, value);
  return result.ec == std::errc() && result.ptr == end && !text.empty();
}

bool ParseBoolean(std::string_view text, bool& value) {
  auto equals = [&](const char* word) {
    return text.size() == std::strlen(word) && ::strncasecmp(text.data(), word, text.size()) == 0;
  };
  if (equals("1") || equals("true") || equals("t")) {
    value = true;
    return true;
  }
  if (equals("0") || equals("false") || equals("f")) {
    value = false;
    return true;
  }
  return false;
}

// Parses SQLite's text of a number, which has an exponent for a REAL of
// magnitude 1e15 or more ("1.5e+20"), as an exact decimal.
std::optional<ParsedDecimal> ParseNumberText(std::string_view text) {
  size_t e = text.find_first_of("eE");
  if (e == std::string_view::npos) return ParseDecimalText(text);
  std::optional<ParsedDecimal> mantissa = ParseDecimalText(text.substr(0, e));
  int exponent = 0;
  if (!mantissa || !ParseWhole(text.substr(e + 1)[0] == '+' ? text.substr(e + 2) : text.substr(e + 1), exponent)) {
    return std::nullopt;
  }
  if (exponent < -kMaxDecimalPrecision || exponent > kMaxDecimalPrecision) return std::nullopt;
  ParsedDecimal result = *mantissa;
  result.scale -= exponent;
  for (; result.scale < 0; ++result.scale) {
    if (result.precision >= kMaxDecimalPrecision) return std::nullopt;
    result.unscaled *= 10;
    ++result.precision;
  }
  if (result.scale > kMaxDecimalPrecision) return std::nullopt;
  result.precision = std::max(result.precision, result.scale);
  return result;
}

// SQLite's date functions store timestamps as ISO 8601 text. A value with an
// offset is converted to UTC, and a bare date is midnight.
bool ParseTimestampText(std::string_view text, int64_t& micros) {
  if (std::optional<ParsedTimestamp> timestamp = ParseTimestamp(text)) {
    micros = timestamp->micros_utc;
    return true;
  }
  if (std::optional<int64_t> days = ParseDate(text)) {
    micros = *days * kMicrosPerDay;
    return true;
  }
  return false;
}

}  // namespace

SqliteSource::SqliteSource(std::string db_path, std::string table, std::string query,
                           const ExportOptions& options)
    : db_path_(std::move(db_path)), skip_bad_rows_(options.skip_bad_rows), chunk_bytes_(options.chunk_bytes) {
  if (table.empty() == query.empty()) {
    throw InvalidInput("SQLite source '" + db_path_ + "' needs exactly one of table and query; "
                       "write sqlite:PATH?table=T or sqlite:PATH?query=SQL");
  }
  description_ = table.empty() ? "query" : "table '" + table + "'";

  int rc = sqlite3_open_v2(db_path_.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw SourceError("cannot open SQLite database '" + db_path_ + "': " + message +
                      "; check the path and its permissions");
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMilliseconds);

  try {
    std::string sql = table.empty() ? query : "SELECT * FROM " + QuoteIdentifier(table);
    if (!table.empty()) count_rows(table);
    read_schema(sql, options.csv_read.sample_rows);
    if (!table.empty()) {
      for (Field& field : schema_) {
        int not_null = 0;
        if (sqlite3_table_column_metadata(db_, nullptr, table.c_str(), field.name.c_str(), nullptr, nullptr,
                                          &not_null, nullptr, nullptr) == SQLITE_OK) {
          field.nullable = not_null == 0;
        }
      }
    }
    statement_ = prepare(sql);
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
  staged_.resize(schema_.size());
}

SqliteSource::~SqliteSource() {
  sqlite3_finalize(statement_);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* SqliteSource::prepare(const std::string& sql) const {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK) {
    fail("preparing the " + description_);
  }
  if (statement == nullptr) {
    throw InvalidInput("the SQLite query for '" + db_path_ + "' is empty; give a SELECT statement");
  }
  if (!sqlite3_stmt_readonly(statement)) {
    sqlite3_finalize(statement);
    throw InvalidInput("the SQLite query for '" + db_path_ + "' would change the database; give a SELECT statement");
  }
  return statement;
}

void SqliteSource::count_rows(const std::string& table) {
  StatementPtr statement(prepare("SELECT COUNT(*) FROM " + QuoteIdentifier(table)));
  if (sqlite3_step(statement.get()) != SQLITE_ROW) fail("counting the rows of " + description_);
  total_rows_ = static_cast<uint64_t>(sqlite3_column_int64(statement.get(), 0));
}

// Declared types decide where they can; the other columns take the storage
// classes of up to `sample_rows` rows, read by a statement of their own.
void SqliteSource::read_schema(const std::string& sql, uint64_t sample_rows) {
  StatementPtr owner(prepare(sql));
  sqlite3_stmt* statement = owner.get();
  int columns = sqlite3_column_count(statement);
  std::vector<bool> needs_sample;
  for (int c = 0; c < columns; ++c) {
    const char* declared = sqlite3_column_decltype(statement, c);
    std::optional<DataType> type = TypeFromSqliteDeclaration(declared != nullptr ? declared : "");
    schema_.push_back(Field{sqlite3_column_name(statement, c), type.value_or(DataType{TypeId::kString}), true});
    needs_sample.push_back(!type.has_value());
  }

  std::vector<unsigned> seen(static_cast<size_t>(columns), 0);
  bool sample = sample_rows > 0 && std::find(needs_sample.begin(), needs_sample.end(), true) != needs_sample.end();
  for (uint64_t row = 0; sample && row < sample_rows; ++row) {
    int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail("sampling the " + description_);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_INTEGER: seen[c] |= kSqliteSawInteger; break;
        case SQLITE_FLOAT: seen[c] |= kSqliteSawFloat; break;
        case SQLITE_TEXT: seen[c] |= kSqliteSawText; break;
        case SQLITE_BLOB: seen[c] |= kSqliteSawBlob; break;
        default: break;
      }
    }
  }
  for (int c = 0; c < columns; ++c) {
    if (needs_sample[c]) schema_[c].type = TypeFromSqliteStorage(seen[c]);
  }
}

bool SqliteSource::next_batch(Batch& batch) {
  batch.clear();
  if (done_) return false;

  // Row bytes are estimated as 8 per value plus the text and blob bytes.
  uint64_t batch_bytes = 0;
  while (batch_bytes < chunk_bytes_) {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_DONE) {
      done_ = true;
      break;
    }
    if (rc != SQLITE_ROW) fail("reading the " + description_);

    int bad_column = -1;
    for (int c = 0; c < static_cast<int>(schema_.size()) && bad_column < 0; ++c) {
      if (!stage_value(c, staged_[c])) bad_column = c;
    }
    ++rows_read_;
    if (bad_column >= 0) {
      if (!skip_bad_rows_) fail_value(bad_column);
      ++skipped_rows_;
      continue;
    }

    for (size_t c = 0; c < schema_.size(); ++c) {
      const Staged& staged = staged_[c];
      Column& column = batch.column(c);
      batch_bytes += 8 + staged.bytes.size();
      if (staged.is_null) {
        column.append_null();
        continue;
      }
      switch (schema_[c].type.id) {
        case TypeId::kBoolean: column.append_bool(staged.boolean); break;
        case TypeId::kFloat64: column.append_double(staged.real); break;
        case TypeId::kDecimal: column.append_decimal(staged.decimal); break;
        case TypeId::kString:
        case TypeId::kBinary: column.append_bytes(staged.bytes); break;
        default: column.append_int64(staged.integer); break;
      }
    }
  }
  return batch.num_rows() > 0;
}

// Reads the value of `column` in the current row into `staged`. Returns
// false when it does not fit the column's type.
bool SqliteSource::stage_value(int column, Staged& staged) {
  int storage = sqlite3_column_type(statement_, column);
  staged.is_null = storage == SQLITE_NULL;
  staged.bytes = {};
  if (staged.is_null) return true;
  bool is_number = storage == SQLITE_INTEGER || storage == SQLITE_FLOAT;

  const DataType& type = schema_[static_cast<size_t>(column)].type;
  switch (type.id) {
    case TypeId::kString:
      staged.bytes = storage == SQLITE_BLOB ? ColumnBlob(statement_, column) : ColumnText(statement_, column);
      return true;
    case TypeId::kBinary:
      staged.bytes = storage == SQLITE_BLOB ? ColumnBlob(statement_, column) : ColumnText(statement_, column);
      return true;
    case TypeId::kInt64:
      if (storage == SQLITE_INTEGER) {
        staged.integer = sqlite3_column_int64(statement_, column);
        return true;
      }
      if (storage == SQLITE_FLOAT) {
        double value = sqlite3_column_double(statement_, column);
        if (value != std::trunc(value) || value < -9.2233720368547758e18 || value >= 9.2233720368547758e18) return false;
        staged.integer = static_cast<int64_t>(value);
        return true;
      }
      return storage == SQLITE_TEXT && ParseWhole(ColumnText(statement_, column), staged.integer);
    case TypeId::kFloat64:
      if (is_number) {
        staged.real = sqlite3_column_double(statement_, column);
        return true;
      }
      return storage == SQLITE_TEXT && ParseWhole(ColumnText(statement_, column), staged.real);
    case TypeId::kDecimal: {
      // SQLite renders a REAL with up to 15 significant digits, the digits
      // the value was most likely written with.
      if (storage == SQLITE_BLOB) return false;
      std::optional<ParsedDecimal> parsed = ParseNumberText(ColumnText(statement_, column));
      if (!parsed) return false;
      std::optional<Int128> value = RescaleDecimal(*parsed, type.precision, type.scale);
      if (!value) return false;
      staged.decimal = *value;
      return true;
    }
    case TypeId::kBoolean:
      return storage != SQLITE_BLOB && ParseBoolean(ColumnText(statement_, column), staged.boolean);
    case TypeId::kDate: {
      // NOTE: numeric dates (Julian days, Unix times) are rejected because
      // the value does not show its unit.
      if (storage != SQLITE_TEXT) return false;
      std::optional<int64_t> days = ParseDate(ColumnText(statement_, column));
      if (!days) return false;
      staged.integer = *days;
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return storage == SQLITE_TEXT && ParseTimestampText(ColumnText(statement_, column), staged.integer);
  }
  return false;
}

void SqliteSource::fail(const std::string& what) const {
  throw SourceError("SQLite error " + what + " in '" + db_path_ + "': " + sqlite3_errmsg(db_));
}

void SqliteSource::fail_value(int column) const {
  std::string value(ColumnText(statement_, column).substr(0, kMaxMessageValueBytes));
  const Field& field = schema_[static_cast<size_t>(column)];
  throw InvalidInput("value '" + value + "' in row " + std::to_string(rows_read_) + ", column '" + field.name +
                     "' of the " + description_ + " in '" + db_path_ + "' is not a valid " + TypeName(field.type) +
                     "; CAST the column in a query (sqlite:PATH?query=...), or drop such rows with --skip-bad-rows");
}

SourceProgress SqliteSource::progress() const {
  SourceProgress progress;
  progress.rows_read = rows_read_;
  progress.total_rows = total_rows_;
  progress.total_rows_exact = total_rows_.has_value();
  return progress;
}

std::string SqliteSource::position() const {
  return "rows=" + std::to_string(rows_read_) + ";skipped=" + std::to_string(skipped_rows_);
}

void SqliteSource::seek(const std::string& position) {
  uint64_t rows = ParseStateCounter(position, "rows", "SQLite source position");
  uint64_t skipped = ParseStateCounter(position, "skipped", "SQLite source position");
  for (uint64_t row = 0; row < rows; ++row) {
    int rc = sqlite3_step(statement_);
    if (rc == SQLITE_DONE) {
      throw SourceError("cannot resume the " + description_ + " of '" + db_path_ + "': it now has " +
                        std::to_string(row) + " rows, fewer than the " + std::to_string(rows) +
                        " already exported; start the export again");
    }
    if (rc != SQLITE_ROW) fail("skipping rows already exported from the " + description_);
  }
  rows_read_ = rows;
  skipped_rows_ = skipped;
}

}  // namespace sluice
