// Source::position() and seek(): a new source seeked to a position taken
// between batches yields the same batches as the original from there on.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "formats/csv_writer.h"
#include "sluice/error.h"
#include "sources/source_factory.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

namespace fs = std::filesystem;

// Every batch's rows as CSV text, and the source's position before each.
struct Reading {
  std::vector<std::string> positions;
  std::vector<std::string> batches;
};

Reading ReadAll(Source& source) {
  Reading reading;
  Batch batch(source.schema());
  CsvWriteOptions no_header;
  no_header.header = false;
  while (true) {
    std::string position = source.position();
    if (!source.next_batch(batch)) break;
    StringSink sink;
    CsvWriter writer(no_header);
    writer.begin(source.schema(), sink);
    writer.write_batch(batch);
    writer.finish();
    reading.positions.push_back(position);
    reading.batches.push_back(sink.bytes());
  }
  return reading;
}

class SourcePositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-source-position-" + std::to_string(getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.chunk_bytes = 8 * kKiB;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Checks that seeking a fresh source to each recorded position replays
  // the remaining batches exactly, and the row counters continue.
  void ExpectSeekReplays() {
    std::unique_ptr<Source> original = OpenSource(options_);
    Reading full = ReadAll(*original);
    ASSERT_GE(full.batches.size(), 3u) << "the input should span several batches";
    uint64_t total_rows = original->progress().rows_read;

    for (size_t start : {size_t{0}, size_t{1}, full.batches.size() / 2, full.batches.size() - 1}) {
      std::unique_ptr<Source> resumed = OpenSource(options_);
      resumed->seek(full.positions[start]);
      Reading rest = ReadAll(*resumed);
      ASSERT_EQ(rest.batches.size(), full.batches.size() - start) << "seeked to batch " << start;
      for (size_t i = 0; i < rest.batches.size(); ++i) {
        EXPECT_EQ(rest.batches[i], full.batches[start + i]) << "batch " << start + i;
        EXPECT_EQ(rest.positions[i], full.positions[start + i]) << "batch " << start + i;
      }
      EXPECT_EQ(resumed->progress().rows_read, total_rows);
    }
  }

  void WriteFile(const std::string& name, const std::function<void(std::ofstream&)>& fill) {
    std::ofstream file(dir_ / name, std::ios::binary);
    fill(file);
    options_.source = (dir_ / name).string();
  }

  fs::path dir_;
  ExportOptions options_;
};

TEST_F(SourcePositionTest, Generator) {
  options_.source = "gen:rows=3000&seed=4";
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, Ndjson) {
  WriteFile("rows.ndjson", [](std::ofstream& file) {
    for (int i = 0; i < 3000; ++i) {
      file << "{\"id\":" << i << ",\"name\":\"row " << i << "\"}\n";
      if (i % 100 == 0) file << "\n";  // blank lines are skipped
    }
  });
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, JsonArray) {
  WriteFile("rows.json", [](std::ofstream& file) {
    file << "[\n";
    for (int i = 0; i < 3000; ++i) file << (i ? ",\n" : "") << "  {\"id\": " << i << ", \"v\": " << i * 0.5 << "}";
    file << "\n]\n";
  });
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, NdjsonWithSkippedLines) {
  options_.skip_bad_rows = true;
  options_.csv_read.schema = "id:int64,name:string";
  WriteFile("bad.ndjson", [](std::ofstream& file) {
    for (int i = 0; i < 3000; ++i) {
      if (i % 500 == 7) file << "{broken\n";
      file << "{\"id\":" << i << ",\"name\":\"n" << i << "\"}\n";
    }
  });
  std::unique_ptr<Source> original = OpenSource(options_);
  Reading full = ReadAll(*original);
  std::unique_ptr<Source> resumed = OpenSource(options_);
  resumed->seek(full.positions[full.positions.size() / 2]);
  ReadAll(*resumed);
  EXPECT_EQ(resumed->skipped_rows(), original->skipped_rows());
  EXPECT_EQ(original->skipped_rows(), 6u);
}

TEST_F(SourcePositionTest, Csv) {
  WriteFile("rows.csv", [](std::ofstream& file) {
    file << "id,name,note\n";
    for (int i = 0; i < 3000; ++i) file << i << ",name " << i << ",\"two\nlines, quoted\"\n";
  });
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, SqliteTable) {
  fs::path path = dir_ / "db.sqlite";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); BEGIN;";
  for (int i = 0; i < 3000; ++i) sql += "INSERT INTO t VALUES (" + std::to_string(i) + ", 'name " + std::to_string(i) + "');";
  sql += "COMMIT;";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  options_.source = "sqlite:" + path.string() + "?table=t";
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, PostgresQuery) {
  const char* url = std::getenv("SLUICE_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') GTEST_SKIP() << "SLUICE_TEST_POSTGRES_URL is not set";
  std::string base = url;
  options_.source = base + (base.find('?') == std::string::npos ? "?" : "&") +
                    "query=SELECT%20i%2C%20%27row%20%27%20%7C%7C%20i%20AS%20name%2C%20i%3A%3Anumeric%20%2F%204%20AS%20v%20"
                    "FROM%20generate_series(1%2C5000)%20i%20ORDER%20BY%20i";
  ExpectSeekReplays();
}

TEST_F(SourcePositionTest, RejectsMalformedPosition) {
  options_.source = "gen:rows=10";
  std::unique_ptr<Source> source = OpenSource(options_);
  EXPECT_THROW(source->seek("row=abc"), Error);
  EXPECT_THROW(source->seek("row=11"), Error);
}

}  // namespace
}  // namespace sluice
