#include "sources/postgres_source.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/counter_state.h"
#include "core/decimal.h"
#include "core/error.h"
#include "sources/postgres_types.h"

namespace sluice {

namespace {

constexpr const char* kCursorName = "sluice_cursor";
constexpr const char* kDeclarePrefix = "DECLARE sluice_cursor NO SCROLL CURSOR FOR ";
constexpr size_t kMaxMessageValueBytes = 60;
constexpr int kMinFetchRows = 16;
constexpr int kMaxFetchRows = 1000000;

// The session settings that make every value's text unambiguous.
constexpr const char* kSessionSettings =
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET bytea_output = 'hex'; "
    "SET extra_float_digits = 3; SET client_encoding = 'UTF8'";

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Joins the lines of a libpq message with spaces, so it fits on one line.
std::string OneLine(std::string text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string TrimQuery(std::string query) {
  while (!query.empty() && (std::isspace(static_cast<unsigned char>(query.back())) || query.back() == ';')) {
    query.pop_back();
  }
  return query;
}

// Replaces the password of a "scheme://user:password@host" URL with ***,
// for connection strings libpq cannot parse.
std::string RedactUrl(std::string url) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.replace(colon + 1, at - colon - 1, "***");
}

bool ParseFloat(std::string_view text, double& value) {
  if (text == "NaN") {
    value = std::nan("");
  } else if (text == "Infinity") {
    value = HUGE_VAL;
  } else if (text == "-Infinity") {
    value = -HUGE_VAL;
  } else {
    const char* end = text.data() + text.size();
    auto result = std::from_chars(text.data(), end, value);
    return result.ec == std::errc() && result.ptr == end;
  }
  return true;
}

}  // namespace

PostgresSource::PostgresSource(std::string conninfo, std::string query, const ExportOptions& options)
    : skip_bad_rows_(options.skip_bad_rows), chunk_bytes_(options.chunk_bytes) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string message = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    throw InvalidInput("invalid PostgreSQL connection string '" + RedactUrl(conninfo) + "': " + message);
  }
  std::string user, host = "localhost", port = "5432", database;
  for (PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    std::string keyword = option->keyword;
    if (keyword == "password") password_ = option->val;
    if (keyword == "user") user = option->val;
    if (keyword == "host") host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") database = option->val;
  }
  PQconninfoFree(parsed);
  description_ = (user.empty() ? "" : user + "@") + host + ":" + port + "/" + database;

  connection_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(connection_) != CONNECTION_OK) {
    std::string message = redact(OneLine(PQerrorMessage(connection_)));
    PQfinish(connection_);
    connection_ = nullptr;
    throw SourceError("cannot connect to PostgreSQL at " + description_ + ": " + message);
  }

  try {
    ResultPtr(execute(kSessionSettings, "setting up the session"));
    query = TrimQuery(std::move(query));
    estimate_rows(query);
    ResultPtr(execute("BEGIN READ ONLY", "starting a read-only transaction"));
    ResultPtr(execute(kDeclarePrefix + query, "running the query"));
    read_schema();
  } catch (...) {
    PQfinish(connection_);
    connection_ = nullptr;
    throw;
  }
}

PostgresSource::~PostgresSource() {
  PQclear(pending_);
  PQfinish(connection_);  // the server rolls back the transaction and drops the cursor
}

// Runs `sql` and returns its result, which the caller owns. Throws
// SourceError with the server's message when it fails.
PGresult* PostgresSource::execute(const std::string& sql, const char* what) {
  ResultPtr result(PQexec(connection_, sql.c_str()));
  ExecStatusType status = PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result.release();

  if (result == nullptr) fail(what, OneLine(PQerrorMessage(connection_)));
  const char* primary = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY);
  const char* position = PQresultErrorField(result.get(), PG_DIAG_STATEMENT_POSITION);
  const char* hint = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_HINT);
  std::string detail = primary != nullptr ? primary : OneLine(PQresultErrorMessage(result.get()));
  if (position != nullptr && sql.rfind(kDeclarePrefix, 0) == 0) {
    // Positions count from 1 in the statement sent, which starts with the DECLARE.
    long offset = std::strtol(position, nullptr, 10) - static_cast<long>(std::strlen(kDeclarePrefix));
    if (offset > 0) detail += " (at character " + std::to_string(offset) + " of the query)";
  }
  if (hint != nullptr) detail += std::string("; hint: ") + hint;
  fail(what, OneLine(detail));
}

// The planner's row estimate. A query EXPLAIN cannot plan gets no estimate;
// its error is reported when the cursor is declared.
void PostgresSource::estimate_rows(const std::string& query) {
  ResultPtr result(PQexec(connection_, ("EXPLAIN (FORMAT JSON) " + query).c_str()));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) < 1) return;
  try {
    nlohmann::json plan = nlohmann::json::parse(PQgetvalue(result.get(), 0, 0));
    double rows = plan.at(0).at("Plan").at("Plan Rows").get<double>();
    if (rows >= 0) estimated_rows_ = static_cast<uint64_t>(rows);
  } catch (const nlohmann::json::exception&) {
    // The plan's shape changed; progress runs without a total.
  }
}

void PostgresSource::read_schema() {
  ResultPtr description(PQdescribePortal(connection_, kCursorName));
  if (PQresultStatus(description.get()) != PGRES_COMMAND_OK) {
    fail("describing the query", OneLine(PQerrorMessage(connection_)));
  }
  int columns = PQnfields(description.get());
  std::vector<int> unconstrained;
  for (int c = 0; c < columns; ++c) {
    std::optional<DataType> type = TypeFromPostgres(PQftype(description.get(), c), PQfmod(description.get(), c));
    if (!type) unconstrained.push_back(c);
    schema_.push_back(Field{PQfname(description.get(), c), type.value_or(DataType{TypeId::kString}), true});
  }
  staged_.resize(schema_.size());
  scratch_.resize(schema_.size());

  // Aim for about one chunk per fetch before any row size is known.
  fetch_rows_ = static_cast<int>(std::clamp<uint64_t>(chunk_bytes_ / (16 * schema_.size() + 16),
                                                      kMinFetchRows, kMaxFetchRows));
  if (!unconstrained.empty()) {
    fetch();
    fix_unconstrained_numerics(unconstrained);
  }
}

void PostgresSource::fetch() {
  std::string sql = "FETCH FORWARD " + std::to_string(fetch_rows_) + " FROM " + kCursorName;
  pending_ = execute(sql, "fetching rows");
}

// Gives each unconstrained numeric column the largest scale of the
// fetched rows, or makes it a string when a value cannot be a decimal(38,s).
void PostgresSource::fix_unconstrained_numerics(const std::vector<int>& columns) {
  int rows = PQntuples(pending_);
  for (int c : columns) {
    int integer_digits = 0;
    int scale = 0;
    bool fits = rows > 0;
    bool any_value = false;
    for (int r = 0; r < rows && fits; ++r) {
      if (PQgetisnull(pending_, r, c)) continue;
      any_value = true;
      std::optional<ParsedDecimal> value = ParseDecimalText(PQgetvalue(pending_, r, c));
      fits = value.has_value();
      if (!fits) break;
      integer_digits = std::max(integer_digits, value->precision - value->scale);
      scale = std::max(scale, value->scale);
    }
    if (fits && any_value && integer_digits + scale <= kMaxDecimalPrecision) {
      schema_[static_cast<size_t>(c)].type = DataType::Decimal(kMaxDecimalPrecision, scale);
    }
  }
}

bool PostgresSource::next_batch(Batch& batch) {
  batch.clear();
  while (!done_) {
    if (pending_ == nullptr) fetch();
    if (PQntuples(pending_) == 0) {
      PQclear(pending_);
      pending_ = nullptr;
      done_ = true;
      ResultPtr(execute("COMMIT", "ending the transaction"));
      break;
    }
    append_rows(batch);
    PQclear(pending_);
    pending_ = nullptr;
    if (batch.num_rows() > 0) return true;
  }
  return false;
}

// Appends the rows of pending_ and sizes the next fetch from their bytes.
void PostgresSource::append_rows(Batch& batch) {
  int rows = PQntuples(pending_);
  int columns = static_cast<int>(schema_.size());
  uint64_t bytes = 0;
  for (int r = 0; r < rows; ++r) {
    int bad_column = -1;
    for (int c = 0; c < columns && bad_column < 0; ++c) {
      if (!stage_value(r, c, staged_[c])) bad_column = c;
      bytes += 8 + static_cast<uint64_t>(PQgetlength(pending_, r, c));
    }
    ++rows_read_;
    if (bad_column >= 0) {
      if (!skip_bad_rows_) fail_value(r, bad_column);
      ++skipped_rows_;
      continue;
    }
    for (int c = 0; c < columns; ++c) {
      const Staged& staged = staged_[c];
      Column& column = batch.column(static_cast<size_t>(c));
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
  if (rows > 0 && bytes > 0) {
    uint64_t row_bytes = std::max<uint64_t>(1, bytes / static_cast<uint64_t>(rows));
    fetch_rows_ = static_cast<int>(std::clamp<uint64_t>(chunk_bytes_ / row_bytes, kMinFetchRows, kMaxFetchRows));
  }
}

// Parses the text of one value into `staged`. Returns false when it does
// not fit the column's type.
bool PostgresSource::stage_value(int row, int column, Staged& staged) {
  staged.is_null = PQgetisnull(pending_, row, column) != 0;
  staged.bytes = {};
  if (staged.is_null) return true;
  std::string_view text(PQgetvalue(pending_, row, column), static_cast<size_t>(PQgetlength(pending_, row, column)));
  const DataType& type = schema_[static_cast<size_t>(column)].type;

  switch (type.id) {
    case TypeId::kBoolean:
      staged.boolean = text == "t";
      return text == "t" || text == "f";
    case TypeId::kInt64: {
      const char* end = text.data() + text.size();
      auto result = std::from_chars(text.data(), end, staged.integer);
      return result.ec == std::errc() && result.ptr == end;
    }
    case TypeId::kFloat64:
      return ParseFloat(text, staged.real);
    case TypeId::kDecimal: {
      std::optional<ParsedDecimal> parsed = ParseDecimalText(text);
      if (!parsed) return false;
      std::optional<Int128> value = RescaleDecimal(*parsed, type.precision, type.scale);
      if (!value) return false;
      staged.decimal = *value;
      return true;
    }
    case TypeId::kString:
      staged.bytes = text;
      return true;
    case TypeId::kBinary:
      if (!ParsePostgresBytea(text, scratch_[column])) return false;
      staged.bytes = scratch_[column];
      return true;
    case TypeId::kDate: {
      std::optional<int64_t> days = ParsePostgresDate(text);
      if (!days) return false;
      staged.integer = *days;
      return true;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      std::optional<int64_t> micros = ParsePostgresTimestamp(text);
      if (!micros) return false;
      staged.integer = *micros;
      return true;
    }
  }
  return false;
}

void PostgresSource::fail(const std::string& what, const std::string& detail) const {
  throw SourceError("PostgreSQL error " + what + " on " + description_ + ": " + redact(detail));
}

void PostgresSource::fail_value(int row, int column) const {
  std::string value(PQgetvalue(pending_, row, column), std::min<size_t>(kMaxMessageValueBytes, PQgetlength(pending_, row, column)));
  const Field& field = schema_[static_cast<size_t>(column)];
  throw InvalidInput("value '" + value + "' in row " + std::to_string(rows_read_) + ", column '" + field.name +
                     "' of the PostgreSQL query is not a valid " + TypeName(field.type) +
                     "; cast the column in the query (for example " + field.name +
                     "::text), or drop such rows with --skip-bad-rows");
}

// NOTE: a very short password also removes its letters from unrelated
// words of the message; that is the price of never printing it.
std::string PostgresSource::redact(std::string text) const {
  if (password_.empty()) return text;
  for (size_t at = text.find(password_); at != std::string::npos; at = text.find(password_, at + 3)) {
    text.replace(at, password_.size(), "***");
  }
  return text;
}

SourceProgress PostgresSource::progress() const {
  SourceProgress progress;
  progress.rows_read = rows_read_;
  progress.total_rows = estimated_rows_;
  progress.total_rows_exact = false;
  return progress;
}

std::string PostgresSource::position() const {
  return "rows=" + std::to_string(rows_read_) + ";skipped=" + std::to_string(skipped_rows_) +
         ";fetch=" + std::to_string(fetch_rows_);
}

void PostgresSource::seek(const std::string& position) {
  const std::string what = "PostgreSQL source position";
  uint64_t rows = ParseStateCounter(position, "rows", what);
  uint64_t fetch_rows = ParseStateCounter(position, "fetch", what);
  if (fetch_rows < static_cast<uint64_t>(kMinFetchRows) || fetch_rows > static_cast<uint64_t>(kMaxFetchRows)) {
    throw InvalidInput("invalid " + what + " '" + position + "'; start the export again");
  }

  // The constructor may have fetched the first rows to type numeric columns;
  // at position 0 they are still the rows to read next.
  uint64_t fetched = pending_ != nullptr ? static_cast<uint64_t>(PQntuples(pending_)) : 0;
  if (rows > 0) {
    if (rows < fetched) {
      throw InvalidInput("invalid " + what + " '" + position + "': it lies inside the first fetch; "
                         "start the export again");
    }
    PQclear(pending_);
    pending_ = nullptr;
  }
  // MOVE FORWARD 0 would re-fetch the current row, so a zero move is skipped.
  if (rows > fetched) {
    ResultPtr moved(execute("MOVE FORWARD " + std::to_string(rows - fetched) + " IN " + kCursorName,
                            "skipping rows already exported"));
    uint64_t moved_rows = std::strtoull(PQcmdTuples(moved.get()), nullptr, 10);
    if (moved_rows != rows - fetched) {
      throw SourceError("cannot resume the query on " + description_ + ": it now returns " +
                        std::to_string(fetched + moved_rows) + " rows, fewer than the " +
                        std::to_string(rows) + " already exported; start the export again");
    }
  }
  rows_read_ = rows;
  skipped_rows_ = ParseStateCounter(position, "skipped", what);
  fetch_rows_ = static_cast<int>(fetch_rows);
}

}  // namespace sluice
