#include "sources/sqlite_source.h"

#include <gtest/gtest.h>

#include "source_rows.h"
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using testing::ReadRows;

class SqliteSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/sluice_sqlite_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::remove(path_.c_str());
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db_), SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(db_);
    std::remove(path_.c_str());
  }

  void Execute(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << message;
  }

  std::string path_;
  sqlite3* db_ = nullptr;
};


std::string SchemaText(const Schema& schema) {
  std::string text;
  for (const Field& field : schema) {
    text += (text.empty() ? "" : ",") + field.name + ":" + TypeName(field.type) + (field.nullable ? "" : "!");
  }
  return text;
}

TEST_F(SqliteSourceTest, TableWithDeclaredTypes) {
  Execute(
      "CREATE TABLE t (id INTEGER NOT NULL, score REAL, price NUMERIC(10,2), name VARCHAR(20), data BLOB, "
      "ok BOOLEAN, day DATE, at DATETIME, zoned TIMESTAMPTZ, anything);"
      "INSERT INTO t VALUES (9223372036854775807, 1.5, 12345678.90, 'caf\xC3\xA9', x'00ff', 1, '1969-07-20', "
      "'1969-07-20 20:17:40.5', '2024-01-01T01:00:00+01:00', 42);"
      "INSERT INTO t VALUES (-9223372036854775808, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
      "INSERT INTO t VALUES (3, 2, '0.05', 7, 'text', 'false', '2000-02-29', '2000-02-29', '2000-01-01 00:00:00', 'x');");
  SqliteSource source(path_, "t", "", {});
  EXPECT_EQ(SchemaText(source.schema()),
            "id:int64!,score:float64,price:decimal(10,2),name:string,data:binary,ok:boolean,day:date,"
            "at:timestamp,zoned:timestamptz,anything:string");
  EXPECT_EQ(source.progress().total_rows, 3u);
  EXPECT_TRUE(source.progress().total_rows_exact);
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0],
            "9223372036854775807|1.500000|12345678.90|caf\xC3\xA9|0x00ff|true|1969-07-20|1969-07-20T20:17:40.5|"
            "2024-01-01T00:00:00Z|42");
  EXPECT_EQ(rows[1], "-9223372036854775808|null|null|null|null|null|null|null|null|null");
  EXPECT_EQ(rows[2], "3|2.000000|0.05|7|0x74657874|false|2000-02-29|2000-02-29T00:00:00|2000-01-01T00:00:00Z|x");
  EXPECT_EQ(source.progress().rows_read, 3u);
}

TEST_F(SqliteSourceTest, QueryTypesFromSample) {
  Execute("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'z');");
  SqliteSource source(path_, "", "SELECT a * 2 AS doubled, a / 2.0 AS half, upper(b) AS shout, "
                                 "x'0102' AS raw, NULL AS empty, a FROM t ORDER BY a", {});
  EXPECT_EQ(SchemaText(source.schema()), "doubled:int64,half:float64,shout:string,raw:binary,empty:string,a:int64");
  EXPECT_FALSE(source.progress().total_rows.has_value());
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"2|0.500000|X|0x0102|null|1", "4|1.000000|null|0x0102|null|2",
                                                        "6|1.500000|Z|0x0102|null|3"}));
}

TEST_F(SqliteSourceTest, QuotesTableName) {
  Execute("CREATE TABLE \"we\"\"ird name\" (v INTEGER); INSERT INTO \"we\"\"ird name\" VALUES (5);");
  SqliteSource source(path_, "we\"ird name", "", {});
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"5"}));
}

TEST_F(SqliteSourceTest, ValueThatDoesNotFit) {
  Execute("CREATE TABLE t (n INTEGER, d DATE); INSERT INTO t VALUES (1, '2024-01-01'), ('abc', '2024-01-02'), "
          "(3, 'soon'), (4, NULL);");
  try {
    SqliteSource source(path_, "t", "", {});
    ReadRows(source);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    std::string message = error.what();
    EXPECT_NE(message.find("value 'abc' in row 2, column 'n'"), std::string::npos) << message;
    EXPECT_NE(message.find("not a valid int64"), std::string::npos) << message;
  }

  ExportOptions options;
  options.skip_bad_rows = true;
  SqliteSource source(path_, "t", "", options);
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1|2024-01-01", "4|null"}));
  EXPECT_EQ(source.skipped_rows(), 2u);
}

TEST_F(SqliteSourceTest, DecimalKeepsDigits) {
  // NUMERIC affinity stores numeric text as INTEGER or REAL, so SQLite
  // itself keeps at most 15 significant digits of a fraction.
  Execute("CREATE TABLE t (v DECIMAL(38,10)); INSERT INTO t VALUES (-0.5), (7), ('12.34'), (1.5e20), (2.5e-9), "
          "(9223372036854775807);");
  SqliteSource source(path_, "t", "", {});
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"-0.5000000000", "7.0000000000", "12.3400000000",
                                                        "150000000000000000000.0000000000", "0.0000000025",
                                                        "9223372036854775807.0000000000"}));
}

TEST_F(SqliteSourceTest, ManyBatches) {
  Execute("CREATE TABLE t (id INTEGER, label TEXT);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000) "
          "INSERT INTO t SELECT i, 'label ' || i FROM n;");
  ExportOptions options;
  options.chunk_bytes = 64 * kKiB;
  SqliteSource source(path_, "t", "", options);
  size_t batches = 0;
  std::vector<std::string> rows = ReadRows(source, &batches);
  ASSERT_EQ(rows.size(), 50000u);
  EXPECT_EQ(rows.back(), "50000|label 50000");
  EXPECT_GT(batches, 10u);
  EXPECT_EQ(source.progress().rows_read, 50000u);
}

TEST_F(SqliteSourceTest, Errors) {
  Execute("CREATE TABLE t (v INTEGER);");
  auto error_of = [&](const std::string& db, const std::string& table, const std::string& query) {
    try {
      SqliteSource source(db, table, query, {});
      ReadRows(source);
    } catch (const Error& error) {
      return std::pair<ErrorKind, std::string>(error.kind(), error.what());
    }
    return std::pair<ErrorKind, std::string>(ErrorKind::kInternal, "no error");
  };

  auto missing_file = error_of("/nonexistent/db.sqlite", "t", "");
  EXPECT_EQ(missing_file.first, ErrorKind::kSource);
  EXPECT_NE(missing_file.second.find("/nonexistent/db.sqlite"), std::string::npos);

  auto missing_table = error_of(path_, "nope", "");
  EXPECT_EQ(missing_table.first, ErrorKind::kSource);
  EXPECT_NE(missing_table.second.find("no such table: nope"), std::string::npos) << missing_table.second;

  auto syntax = error_of(path_, "", "SELEC 1");
  EXPECT_EQ(syntax.first, ErrorKind::kSource);
  EXPECT_NE(syntax.second.find("syntax error"), std::string::npos) << syntax.second;

  EXPECT_EQ(error_of(path_, "", "DELETE FROM t").first, ErrorKind::kInvalidInput);
  EXPECT_EQ(error_of(path_, "t", "SELECT 1").first, ErrorKind::kInvalidInput);
  EXPECT_EQ(error_of(path_, "", "").first, ErrorKind::kInvalidInput);
}

TEST_F(SqliteSourceTest, OpensReadOnly) {
  Execute("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);");
  SqliteSource source(path_, "", "SELECT v FROM t", {});
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1"}));
  EXPECT_EQ(source.progress().rows_read, 1u);
}

}  // namespace
}  // namespace sluice
