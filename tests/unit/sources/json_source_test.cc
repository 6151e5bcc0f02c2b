#include "sources/json_source.h"

#include <gtest/gtest.h>

#include "source_rows.h"
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using testing::ReadRows;

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = ::testing::TempDir() + "/sluice_json_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}


std::string SchemaText(const Schema& schema) {
  std::string text;
  for (const Field& field : schema) text += (text.empty() ? "" : ",") + field.name + ":" + TypeName(field.type);
  return text;
}

std::string ErrorOf(const std::string& path, bool is_array, const ExportOptions& options = {}) {
  try {
    JsonSource source(path, is_array, options);
    ReadRows(source);
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  return "no error";
}

TEST(JsonSource, InfersTypesFromNdjson) {
  JsonSource source(std::string(SLUICE_TEST_DATA_DIR) + "/json/flights_sample.ndjson", false, {});
  EXPECT_EQ(SchemaText(source.schema()),
            "flight_id:int64,carrier:string,departure:timestamp,delay_minutes:int64,"
            "fare:decimal(18,2),on_time:boolean,day:date,tags:string");
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "1|AA|2024-03-01T08:15:00|12|129.50|false|2024-03-01|null");
  EXPECT_EQ(rows[2], "3|UA \"Express\"|2024-03-02T23:59:59.5|null|310.00|true|2024-03-02|[\"red-eye\",\"long\"]");
}

TEST(JsonSource, ArrayMatchesNdjson) {
  JsonSource lines(std::string(SLUICE_TEST_DATA_DIR) + "/json/flights_sample.ndjson", false, {});
  JsonSource array(std::string(SLUICE_TEST_DATA_DIR) + "/json/flights_sample.json", true, {});
  EXPECT_EQ(SchemaText(array.schema()), SchemaText(lines.schema()));
  EXPECT_EQ(ReadRows(array), ReadRows(lines));
}

TEST(JsonSource, NumberKinds) {
  std::string path = WriteTemp("numbers.ndjson",
                               "{\"i\": 9223372036854775807, \"big\": 12345678901234567890, \"huge\": "
                               "123456789012345678901234567890123456789, \"f\": 1.5e3, \"mix\": 1}\n"
                               "{\"i\": -9223372036854775808, \"big\": 1, \"huge\": 1, \"f\": 2, \"mix\": 2.25}\n");
  JsonSource source(path, false, {});
  EXPECT_EQ(SchemaText(source.schema()), "i:int64,big:decimal(38,0),huge:float64,f:float64,mix:decimal(18,2)");
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], "9223372036854775807|12345678901234567890|123456789012345684699646211807260966912.000000|1500.000000|1.00");
  EXPECT_EQ(rows[1], "-9223372036854775808|1|1.000000|2.000000|2.25");
}

TEST(JsonSource, FractionsAsFloatWithoutDecimalInference) {
  std::string path = WriteTemp("floats.ndjson", "{\"x\": 1.10}\n{\"x\": 3}\n");
  ExportOptions options;
  options.csv_read.infer_decimals = false;
  JsonSource source(path, false, options);
  EXPECT_EQ(SchemaText(source.schema()), "x:float64");
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1.100000", "3.000000"}));
}

TEST(JsonSource, MixedKindsBecomeText) {
  std::string path = WriteTemp("mixed.ndjson",
                               "{\"v\": 1.50, \"w\": true, \"n\": null}\n"
                               "{\"v\": \"text\", \"w\": 1e2}\n"
                               "{\"v\": {\"a\" : [1, 2]}, \"w\": false}\n");
  JsonSource source(path, false, {});
  EXPECT_EQ(SchemaText(source.schema()), "v:string,w:string,n:string");
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1.50|true|null", "text|1e2|null", "{\"a\":[1,2]}|false|null"}));
}

TEST(JsonSource, TemporalStrings) {
  std::string path = WriteTemp("temporal.ndjson",
                               "{\"d\": \"1969-12-31\", \"t\": \"1969-12-31T23:59:59.5\", \"z\": \"2024-01-01T01:00:00+02:00\", "
                               "\"s\": \"2024-01-01\"}\n"
                               "{\"d\": \"2000-02-29\", \"t\": \"2000-01-01 00:00\", \"z\": \"2024-01-01T00:00:00Z\", \"s\": \"x\"}\n");
  JsonSource source(path, false, {});
  EXPECT_EQ(SchemaText(source.schema()), "d:date,t:timestamp,z:timestamptz,s:string");
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{
                                  "1969-12-31|1969-12-31T23:59:59.5|2023-12-31T23:00:00Z|2024-01-01",
                                  "2000-02-29|2000-01-01T00:00:00|2024-01-01T00:00:00Z|x"}));
}

TEST(JsonSource, EscapesAndMissingKeys) {
  std::string path = WriteTemp("escapes.ndjson",
                               "{\"na\\u006de\": \"caf\\u00e9\\n\", \"id\": 1}\n"
                               "\n   \n"
                               "{\"id\": 2}\r\n");
  JsonSource source(path, false, {});
  EXPECT_EQ(SchemaText(source.schema()), "name:string,id:int64");
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"caf\xC3\xA9\n|1", "null|2"}));
}

TEST(JsonSource, ManyBatchesWithSmallChunks) {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "{\"id\": " + std::to_string(i) + ", \"name\": \"row " + std::to_string(i) + "\", \"x\": " +
            std::to_string(i % 7) + ".5}\n";
  }
  std::string path = WriteTemp("many.ndjson", text);
  ExportOptions options;
  options.chunk_bytes = 8 * kKiB;
  JsonSource source(path, false, options);
  size_t batches = 0;
  std::vector<std::string> rows = ReadRows(source, &batches);
  ASSERT_EQ(rows.size(), 20000u);
  EXPECT_EQ(rows[19999], "19999|row 19999|0.5");
  EXPECT_GT(batches, 50u);
  SourceProgress progress = source.progress();
  EXPECT_EQ(progress.rows_read, 20000u);
  EXPECT_EQ(progress.bytes_read, text.size());
  EXPECT_EQ(progress.total_bytes, text.size());
}

TEST(JsonSource, LargeObjectsCrossBufferRefills) {
  std::string big(3 << 20, 'x');
  std::string text = "[{\"id\": 1, \"blob\": \"" + big + "\"}, {\"id\": 2, \"blob\": \"y\"}]";
  std::string path = WriteTemp("big.json", text);
  JsonSource source(path, true, {});
  std::vector<std::string> rows = ReadRows(source);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].size(), big.size() + 2);
  EXPECT_EQ(rows[1], "2|y");
}

TEST(JsonSource, MalformedLineNamesPosition) {
  std::string path = WriteTemp("bad.ndjson", "{\"a\": 1}\n{\"a\": 2}\n{\"a\" 3}\n");
  std::string message = ErrorOf(path, false);
  EXPECT_NE(message.find("line 3, column 6"), std::string::npos) << message;
  EXPECT_NE(message.find("expected ':'"), std::string::npos) << message;
  EXPECT_NE(message.find("--skip-bad-rows"), std::string::npos) << message;
}

TEST(JsonSource, ErrorLineAfterBufferRefills) {
  std::string text;
  for (int i = 0; i < 70000; ++i) text += "{\"id\": " + std::to_string(i) + ", \"pad\": \"abcdefghij\"}\n";
  text += "{\"id\": 1, \"pad\": \"x\" }}\n";
  ASSERT_GT(text.size(), 2u << 20);
  std::string message = ErrorOf(WriteTemp("late_error.ndjson", text), false);
  EXPECT_NE(message.find("line 70001, column 23"), std::string::npos) << message;
}

TEST(JsonSource, SkipsMalformedLines) {
  std::string path = WriteTemp("skip.ndjson",
                               "{\"a\": 1}\n{\"a\": 2,}\nnot json\n{\"a\": 3} trailing\n{\"a\": \"x\"}\n{\"a\": 4}\n{\"a\": 5");
  ExportOptions options;
  options.skip_bad_rows = true;
  options.csv_read.sample_rows = 1;
  JsonSource source(path, false, options);
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1", "4"}));
  EXPECT_EQ(source.skipped_rows(), 5u);
}

TEST(JsonSource, ObjectOpenAtLineEndIsItsOwnRecord) {
  std::string text = "{\"a\": 1}\n{\"a\": \n{\"a\": 3}\n";
  std::string message = ErrorOf(WriteTemp("open_object.ndjson", text), false);
  EXPECT_NE(message.find("line 2, column 7"), std::string::npos) << message;

  ExportOptions options;
  options.skip_bad_rows = true;
  JsonSource source(WriteTemp("open_object_skip.ndjson", text), false, options);
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(source.skipped_rows(), 1u);
}

TEST(JsonSource, UnknownKeyAfterSample) {
  std::string path = WriteTemp("late_key.ndjson", "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3, \"late\": true}\n");
  ExportOptions options;
  options.csv_read.sample_rows = 2;
  std::string message = ErrorOf(path, false, options);
  EXPECT_NE(message.find("key 'late' at line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("first 2 objects"), std::string::npos) << message;
  EXPECT_NE(message.find("--schema"), std::string::npos) << message;

  options.skip_bad_rows = true;
  JsonSource source(path, false, options);
  EXPECT_EQ(ReadRows(source), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(source.skipped_rows(), 1u);
}

TEST(JsonSource, ValueThatDoesNotFitAfterSample) {
  std::string path = WriteTemp("late_value.ndjson", "{\"a\": 1}\n{\"a\": 2.5}\n");
  ExportOptions options;
  options.csv_read.sample_rows = 1;
  std::string message = ErrorOf(path, false, options);
  EXPECT_NE(message.find("value 2.5 of column 'a' at line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("not a valid int64"), std::string::npos) << message;
}

TEST(JsonSource, ExplicitSchemaPicksKeys) {
  std::string path = WriteTemp("explicit.ndjson",
                               "{\"extra\": [1], \"b\": \"aGVsbG8=\", \"a\": 1.25, \"t\": \"2024-01-01T00:00:00\"}\n"
                               "{\"a\": 2}\n");
  ExportOptions options;
  options.csv_read.schema = "a:float64,b:binary,t:timestamptz,missing:int64";
  JsonSource source(path, false, options);
  EXPECT_EQ(SchemaText(source.schema()), "a:float64,b:binary,t:timestamptz,missing:int64");
  EXPECT_EQ(ReadRows(source),
            (std::vector<std::string>{"1.250000|0x68656c6c6f|2024-01-01T00:00:00Z|null", "2.000000|null|null|null"}));
}

TEST(JsonSource, ArraySyntaxErrors) {
  EXPECT_NE(ErrorOf(WriteTemp("empty.json", ""), true).find("the file is empty"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteTemp("object.json", "{\"a\": 1}"), true).find("expected '['"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteTemp("scalar.json", "[1]"), true).find("line 1, column 2"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteTemp("unclosed.json", "[{\"a\": 1}\n"), true).find("line 2, column 1"), std::string::npos);
  EXPECT_NE(ErrorOf(WriteTemp("trailing.json", "[{\"a\": 1}]\n]"), true).find("after the closing"), std::string::npos);
  std::string truncated = ErrorOf(WriteTemp("truncated.json", "[{\"a\": 1},\n {\"a\": "), true);
  EXPECT_NE(truncated.find("starts on line 2"), std::string::npos) << truncated;
}

TEST(JsonSource, EmptyInputs) {
  JsonSource empty_array(WriteTemp("empty_array.json", "\xEF\xBB\xBF [ ]\n"), true, {});
  EXPECT_TRUE(empty_array.schema().empty());
  EXPECT_TRUE(ReadRows(empty_array).empty());
  JsonSource empty_lines(WriteTemp("empty.ndjson", "\n\n"), false, {});
  EXPECT_TRUE(ReadRows(empty_lines).empty());
  EXPECT_NE(ErrorOf(WriteTemp("no_keys.ndjson", "{}\n{}\n"), false).find("no keys"), std::string::npos);
}

TEST(JsonSource, MissingFileIsIOError) {
  try {
    JsonSource source("/nonexistent/file.ndjson", false, {});
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_NE(std::string(error.what()).find("/nonexistent/file.ndjson"), std::string::npos);
  }
}

}  // namespace
}  // namespace sluice
