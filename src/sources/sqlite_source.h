// SqliteSource: rows of a SQLite table or query, read through the SQLite C API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sluice/options.h"
#include "sources/source.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sluice {

// Opens the database read-only. With a table, it counts the rows first (an
// exact total) and then reads SELECT * from the table. With a query, it runs
// the query and the total is unknown. Column types come from the declared types (see
// TypeFromSqliteDeclaration), or from the storage classes of the first
// options.csv_read.sample_rows rows when a column has no usable declaration.
// A value that does not fit its column's type stops the read with an error
// naming the row and column, or drops the row with options.skip_bad_rows.
// String columns take any value as text.
class SqliteSource : public Source {
 public:
  // Exactly one of `table` and `query` must be non-empty. Throws
  // InvalidInput for that, SourceError when SQLite reports an error.
  SqliteSource(std::string db_path, std::string table, std::string query, const ExportOptions& options);
  ~SqliteSource() override;
  SqliteSource(const SqliteSource&) = delete;
  SqliteSource& operator=(const SqliteSource&) = delete;

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;
  uint64_t skipped_rows() const override { return skipped_rows_; }

  // The position is the count of rows stepped over. seek() runs the
  // statement again and steps over that many rows, which returns the same
  // rows only while the database is unchanged.
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

  sqlite3_stmt* prepare(const std::string& sql) const;
  void count_rows(const std::string& table);
  void read_schema(const std::string& sql, uint64_t sample_rows);
  bool stage_value(int column, Staged& staged);
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_value(int column) const;

  std::string db_path_;
  std::string description_;  // "table T" or "query", for messages
  bool skip_bad_rows_;
  uint64_t chunk_bytes_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  Schema schema_;
  std::vector<Staged> staged_;
  std::optional<uint64_t> total_rows_;
  uint64_t rows_read_ = 0;
  uint64_t skipped_rows_ = 0;
  bool done_ = false;
};

}  // namespace sluice
