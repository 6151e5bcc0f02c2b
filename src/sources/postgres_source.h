// PostgresSource: rows of a PostgreSQL query, streamed through a cursor.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sluice/options.h"
#include "sources/source.h"

struct pg_conn;
struct pg_result;

namespace sluice {

// Runs the query in a read-only transaction through a NO SCROLL cursor and
// fetches about one chunk of rows at a time, so memory does not grow with
// the result. The session uses TimeZone UTC, DateStyle ISO and bytea hex
// output, so timestamptz values arrive as unambiguous UTC text.
//
// Types follow TypeFromPostgres. An unconstrained numeric column becomes
// decimal(38,s) with s the largest scale among the first fetched rows. It
// becomes string when those rows contain NaN, infinities or values that need
// more than 38 digits, or only nulls. A later value that does not fit stops
// the read with an error suggesting a cast, because digits are never dropped.
// Infinite dates and timestamps, and years past 9999, do not fit their
// columns either. With options.skip_bad_rows such rows are dropped and counted.
//
// The total is the planner's estimate (EXPLAIN), never exact. Messages
// never contain the password of the connection string.
class PostgresSource : public Source {
 public:
  // `conninfo` is a libpq connection URL or key=value string, without the
  // query. Throws SourceError when connecting or the query fails, and
  // InvalidInput for an unparsable connection string.
  PostgresSource(std::string conninfo, std::string query, const ExportOptions& options);
  ~PostgresSource() override;
  PostgresSource(const PostgresSource&) = delete;
  PostgresSource& operator=(const PostgresSource&) = delete;

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;
  uint64_t skipped_rows() const override { return skipped_rows_; }

  // The position is the count of rows fetched and the size of the next
  // fetch. seek() runs the query again and moves the cursor past that many
  // rows, which returns the same rows only when the query orders them and
  // the data is unchanged.
  std::string position() const override;
  void seek(const std::string& position) override;

 private:
  struct Staged {
    bool is_null = true;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    __int128 decimal = 0;
    std::string_view bytes;
  };

  pg_result* execute(const std::string& sql, const char* what);
  void estimate_rows(const std::string& query);
  void fetch();
  void read_schema();
  void fix_unconstrained_numerics(const std::vector<int>& columns);
  bool stage_value(int row, int column, Staged& staged);
  void append_rows(Batch& batch);
  [[noreturn]] void fail(const std::string& what, const std::string& detail) const;
  [[noreturn]] void fail_value(int row, int column) const;
  std::string redact(std::string text) const;

  std::string description_;  // "host:port/database" without credentials
  std::string password_;     // only to remove it from messages
  bool skip_bad_rows_;
  uint64_t chunk_bytes_;
  pg_conn* connection_ = nullptr;
  pg_result* pending_ = nullptr;  // fetched rows not yet returned
  int fetch_rows_ = 1000;         // rows per FETCH, adapted to the chunk size
  bool done_ = false;
  Schema schema_;
  std::vector<Staged> staged_;
  std::vector<std::string> scratch_;  // per column, decoded bytea
  std::optional<uint64_t> estimated_rows_;
  uint64_t rows_read_ = 0;
  uint64_t skipped_rows_ = 0;
};

}  // namespace sluice
