#include "sources/postgres_source.h"

#include <gtest/gtest.h>

#include "source_rows.h"
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using testing::ReadRows;

// The tests need a server: scripts/postgres.sh start, then export the URL
// that scripts/postgres.sh env prints.
std::string ServerUrl() {
  const char* url = std::getenv("SLUICE_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

#define REQUIRE_SERVER()                                                   \
  if (ServerUrl().empty()) GTEST_SKIP() << "SLUICE_TEST_POSTGRES_URL is not set"


std::string SchemaText(const Schema& schema) {
  std::string text;
  for (const Field& field : schema) text += (text.empty() ? "" : ",") + field.name + ":" + TypeName(field.type);
  return text;
}

// Runs statements on a connection of the test's own.
void Execute(const std::string& sql) {
  PGconn* connection = PQconnectdb(ServerUrl().c_str());
  ASSERT_EQ(PQstatus(connection), CONNECTION_OK) << PQerrorMessage(connection);
  PGresult* result = PQexec(connection, sql.c_str());
  EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(connection);
}

std::pair<ErrorKind, std::string> ErrorOf(const std::string& url, const std::string& query,
                                          const ExportOptions& options = {}) {
  try {
    PostgresSource source(url, query, options);
    ReadRows(source);
  } catch (const Error& error) {
    return {error.kind(), error.what()};
  }
  return {ErrorKind::kInternal, "no error"};
}

TEST(PostgresSource, TypesAndExtremes) {
  REQUIRE_SERVER();
  PostgresSource source(ServerUrl(),
                        "SELECT 9223372036854775807::int8 AS max, (-9223372036854775807 - 1)::int8 AS min, "
                        "32767::int2 AS small, true AS flag, 0.1::float8 AS real, "
                        "'1234567890123456789012345678.0123456789'::numeric(38,10) AS exact, "
                        "'1969-07-20'::date AS day, '1969-12-31 23:59:59.123456'::timestamp AS local, "
                        "'2024-01-01 01:00:00+01'::timestamptz AS instant, '\\x00ff'::bytea AS raw, "
                        "'caf\xC3\xA9'::text AS name, 'ab'::char(4) AS padded, "
                        "'00000000-0000-0000-0000-000000000001'::uuid AS id, '{\"a\": [1, 2]}'::jsonb AS doc, "
                        "'1 day'::interval AS span, 123456789012345678901234567890123456789.5::numeric(40,1) AS wide",
                        {});
  EXPECT_EQ(SchemaText(source.schema()),
            "max:int64,min:int64,small:int64,flag:boolean,real:float64,exact:decimal(38,10),day:date,"
            "local:timestamp,instant:timestamptz,raw:binary,name:string,padded:string,id:string,doc:string,"
            "span:string,wide:string");
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0],
            "9223372036854775807|-9223372036854775808|32767|true|0.100000|"
            "1234567890123456789012345678.0123456789|1969-07-20|1969-12-31T23:59:59.123456|"
            "2024-01-01T00:00:00Z|0x00ff|caf\xC3\xA9|ab  |00000000-0000-0000-0000-000000000001|"
            "{\"a\": [1, 2]}|1 day|123456789012345678901234567890123456789.5");
}

TEST(PostgresSource, SpecialFloatsAndOldDates) {
  REQUIRE_SERVER();
  PostgresSource source(ServerUrl(),
                        "SELECT 'NaN'::float8 AS a, '-Infinity'::float4 AS b, '0044-03-15 BC'::date AS c, "
                        "'0001-01-01 00:00:00.5 BC'::timestamp AS d, '1900-01-01 00:00:00.25+00'::timestamptz AS e",
                        {});
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{
                                  "nan|-inf|-0043-03-15|0000-01-01T00:00:00.5|1900-01-01T00:00:00.25Z"}));
}

TEST(PostgresSource, NullInEveryType) {
  REQUIRE_SERVER();
  PostgresSource source(ServerUrl(),
                        "SELECT NULL::bool AS a, NULL::int8 AS b, NULL::float8 AS c, NULL::numeric(10,2) AS d, "
                        "NULL::text AS e, NULL::bytea AS f, NULL::date AS g, NULL::timestamp AS h, "
                        "NULL::timestamptz AS i, NULL::jsonb AS j",
                        {});
  EXPECT_EQ(SchemaText(source.schema()),
            "a:boolean,b:int64,c:float64,d:decimal(10,2),e:string,f:binary,g:date,h:timestamp,i:timestamptz,j:string");
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"null|null|null|null|null|null|null|null|null|null"}));
}

TEST(PostgresSource, UnconstrainedNumeric) {
  REQUIRE_SERVER();
  PostgresSource source(ServerUrl(),
                        "SELECT v::numeric AS v, 'NaN'::numeric AS nan, "
                        "1234567890123456789012345678901234567890::numeric AS huge, NULL::numeric AS empty "
                        "FROM (VALUES ('1.5'), ('-12.125'), (NULL), ('99999999999999999999')) AS t(v)",
                        {});
  EXPECT_EQ(SchemaText(source.schema()), "v:decimal(38,3),nan:string,huge:string,empty:string");
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], "1.500|NaN|1234567890123456789012345678901234567890|null");
  EXPECT_EQ(rows[1].substr(0, 8), "-12.125|");
  EXPECT_EQ(rows[3].substr(0, 25), "99999999999999999999.000|");
}

TEST(PostgresSource, TimestampTzFromOtherZone) {
  REQUIRE_SERVER();
  std::string table = "sluice_tz_" + std::to_string(::getpid());
  Execute("DROP TABLE IF EXISTS " + table + "; CREATE TABLE " + table +
          " (instant timestamptz, local timestamp);"
          "SET TimeZone = 'America/New_York';"
          "INSERT INTO " + table + " VALUES ('2024-07-01 12:00:00', '2024-07-01 12:00:00'), "
          "('1960-01-01 00:00:00.75', '1960-01-01 00:00:00.75')");
  {
    PostgresSource source(ServerUrl(), "SELECT instant, local FROM " + table + " ORDER BY local DESC", {});
    EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"2024-07-01T16:00:00Z|2024-07-01T12:00:00",
                                                          "1960-01-01T05:00:00.75Z|1960-01-01T00:00:00.75"}));
  }
  Execute("DROP TABLE " + table);
}

TEST(PostgresSource, ZeroRows) {
  REQUIRE_SERVER();
  PostgresSource source(ServerUrl(), "SELECT 1::int4 AS a, 'x'::text AS b WHERE false;", {});
  EXPECT_EQ(SchemaText(source.schema()), "a:int64,b:string");
  EXPECT_TRUE(ReadRows(source).empty());
  EXPECT_FALSE(source.progress().total_rows_exact);
}

TEST(PostgresSource, StreamsLargeResultInBatches) {
  REQUIRE_SERVER();
  ExportOptions options;
  options.chunk_bytes = 256 * kKiB;
  PostgresSource source(ServerUrl(), "SELECT i::int8 AS i, 'row ' || i AS label FROM generate_series(1, 300000) AS i",
                        options);
  ASSERT_TRUE(source.progress().total_rows.has_value());
  EXPECT_EQ(*source.progress().total_rows, 300000u);
  Batch batch(source.schema());
  size_t batches = 0;
  uint64_t rows = 0;
  int64_t sum = 0;
  while (source.next_batch(batch)) {
    ++batches;
    rows += batch.num_rows();
    for (size_t r = 0; r < batch.num_rows(); ++r) sum += batch.column(0).int64_at(r);
    EXPECT_LT(batch.num_rows(), 100000u);
  }
  EXPECT_EQ(rows, 300000u);
  EXPECT_EQ(sum, 300000LL * 300001 / 2);
  EXPECT_GT(batches, 10u);
  EXPECT_EQ(source.progress().rows_read, 300000u);
}

TEST(PostgresSource, SyntaxErrorIsClear) {
  REQUIRE_SERVER();
  auto [kind, message] = ErrorOf(ServerUrl(), "SELEC 1");
  EXPECT_EQ(kind, ErrorKind::kSource);
  EXPECT_NE(message.find("syntax error at or near \"SELEC\""), std::string::npos) << message;
  EXPECT_NE(message.find("at character 1 of the query"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(PostgresSource, WritesAreRejected) {
  REQUIRE_SERVER();
  auto [kind, message] = ErrorOf(ServerUrl(), "SELECT 1; CREATE TABLE sluice_never (a int)");
  EXPECT_EQ(kind, ErrorKind::kSource);
}

TEST(PostgresSource, ValueThatDoesNotFit) {
  REQUIRE_SERVER();
  std::string query = "SELECT d FROM (VALUES ('2024-01-01'::date), ('infinity'::date), ('2024-01-02'::date)) AS t(d)";
  auto [kind, message] = ErrorOf(ServerUrl(), query);
  EXPECT_EQ(kind, ErrorKind::kInvalidInput);
  EXPECT_NE(message.find("value 'infinity' in row 2, column 'd'"), std::string::npos) << message;

  ExportOptions options;
  options.skip_bad_rows = true;
  PostgresSource source(ServerUrl(), query, options);
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"2024-01-01", "2024-01-02"}));
  EXPECT_EQ(source.skipped_rows(), 1u);
}

TEST(PostgresSource, MessagesHideThePassword) {
  REQUIRE_SERVER();
  // Trust authentication ignores the password, so the query still runs.
  std::string url = ServerUrl();
  url.insert(url.find('@'), ":Sup3rSecretPw");
  auto syntax = ErrorOf(url, "SELEC 1");
  EXPECT_EQ(syntax.first, ErrorKind::kSource);
  EXPECT_EQ(syntax.second.find("Sup3rSecretPw"), std::string::npos) << syntax.second;

  auto refused = ErrorOf("postgresql://user:Sup3rSecretPw@127.0.0.1:1/none?connect_timeout=5", "SELECT 1");
  EXPECT_EQ(refused.first, ErrorKind::kSource);
  EXPECT_NE(refused.second.find("cannot connect"), std::string::npos) << refused.second;
  EXPECT_EQ(refused.second.find("Sup3rSecretPw"), std::string::npos) << refused.second;

  auto invalid = ErrorOf("postgresql://user:Sup3rSecretPw@host/db?nonsense=1", "SELECT 1");
  EXPECT_EQ(invalid.first, ErrorKind::kInvalidInput);
  EXPECT_EQ(invalid.second.find("Sup3rSecretPw"), std::string::npos) << invalid.second;
}

}  // namespace
}  // namespace sluice
