#include "sources/csv_source.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/temporal.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using Rows = std::vector<std::vector<std::string>>;

class CsvSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sluice_csv_source_XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Write(const std::string& content, const std::string& name = "input.csv") {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string dir_;
  ExportOptions options_;
};

std::string CellText(const Column& column, size_t row) {
  if (column.is_null(row)) return "<null>";
  const DataType& type = column.type();
  std::string out;
  switch (type.id) {
    case TypeId::kBoolean: return column.bool_at(row) ? "true" : "false";
    case TypeId::kInt64: return std::to_string(column.int64_at(row));
    case TypeId::kFloat64: {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.17g", column.double_at(row));
      return buffer;
    }
    case TypeId::kDecimal: return FormatDecimal(column.decimal_at(row), type.scale);
    case TypeId::kDate: AppendDate(out, column.int64_at(row)); return out;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: AppendTimestamp(out, column.int64_at(row), 'T'); return out;
    case TypeId::kString:
    case TypeId::kBinary: return std::string(column.bytes_at(row));
  }
  return "?";
}

Rows ReadAll(Source& source, std::vector<size_t>* batch_rows = nullptr) {
  Batch batch(source.schema());
  Rows rows;
  while (source.next_batch(batch)) {
    if (batch_rows) batch_rows->push_back(batch.num_rows());
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < batch.num_columns(); ++c) row.push_back(CellText(batch.column(c), r));
      rows.push_back(row);
    }
  }
  EXPECT_EQ(batch.num_rows(), 0u);
  return rows;
}

std::string SchemaText(const Schema& schema) {
  std::string out;
  for (const Field& field : schema) {
    out += (out.empty() ? "" : ",") + field.name + ":" + TypeName(field.type);
  }
  return out;
}

// Returns the message of the InvalidInput error that `make` throws, or "".
template <typename F>
std::string InvalidInputMessage(F make) {
  try {
    make();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput) << error.what();
    return error.what();
  }
  return "";
}

TEST_F(CsvSourceTest, InfersTypes) {
  CsvSource source(Write("id,price,name,ok,day,at\n"
                         "1,1.10,apple,true,2024-01-31,2024-01-31T10:00:00Z\n"
                         "2,22.5,\"pear, green\",FALSE,2024-02-01,2024-02-01T10:00:00+01:00\n"),
                   options_);
  EXPECT_EQ(SchemaText(source.schema()),
            "id:int64,price:decimal(18,2),name:string,ok:boolean,day:date,at:timestamptz");
  EXPECT_EQ(ReadAll(source),
            (Rows{{"1", "1.10", "apple", "true", "2024-01-31", "2024-01-31T10:00:00"},
                  {"2", "22.50", "pear, green", "false", "2024-02-01", "2024-02-01T09:00:00"}}));
}

TEST_F(CsvSourceTest, InferenceKeepsData) {
  CsvSource source(Write("zip,big,huge,neg,phone\n"
                         "00501,1231231231231234123,92233720368547758070,-0,+15551234567\n"
                         "10001,5,1,3,+4930123\n"),
                   options_);
  EXPECT_EQ(SchemaText(source.schema()),
            "zip:string,big:int64,huge:decimal(38,0),neg:int64,phone:string");
  EXPECT_EQ(ReadAll(source), (Rows{{"00501", "1231231231231234123", "92233720368547758070", "0",
                                    "+15551234567"},
                                   {"10001", "5", "1", "3", "+4930123"}}));
}

TEST_F(CsvSourceTest, AllNullColumnIsString) {
  CsvSource source(Write("a,b\n1,\n2,\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "a:int64,b:string");
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "<null>"}, {"2", "<null>"}}));
}

TEST_F(CsvSourceTest, NullVersusEmptyString) {
  CsvSource source(Write("s,n\n,\n\"\",\"\"\nx,7\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "s:string,n:int64");
  EXPECT_EQ(ReadAll(source), (Rows{{"<null>", "<null>"}, {"", "<null>"}, {"x", "7"}}));
}

TEST_F(CsvSourceTest, CustomNullString) {
  options_.csv_read.null_string = "NULL";
  CsvSource source(Write("s,n\nNULL,NULL\n\"NULL\",\n,3\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "s:string,n:int64");
  EXPECT_EQ(ReadAll(source), (Rows{{"<null>", "<null>"}, {"NULL", "<null>"}, {"", "3"}}));
}

TEST_F(CsvSourceTest, NoHeaderNamesColumns) {
  options_.csv_read.header = false;
  CsvSource source(Write("1,a\n2,b\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "column1:int64,column2:string");
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "a"}, {"2", "b"}}));
}

TEST_F(CsvSourceTest, HeaderNamesMadeUnique) {
  CsvSource source(Write("a,,a,a\n1,2,3,4\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "a:int64,column2:int64,a_2:int64,a_3:int64");
}

TEST_F(CsvSourceTest, BomAndLineEndings) {
  CsvSource source(Write("\xEF\xBB\xBFid,v\r\n1,\"x\r\ny\"\r2,z\n3,w"), options_);
  EXPECT_EQ(source.schema()[0].name, "id");
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "x\r\ny"}, {"2", "z"}, {"3", "w"}}));
}

TEST_F(CsvSourceTest, DelimiterQuoteAndEscapeOptions) {
  options_.csv_read.delimiter = ';';
  options_.csv_read.quote = '\'';
  options_.csv_read.escape = '\\';
  CsvSource source(Write("a;b\n'x;\\'y';2\n"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"x;'y", "2"}}));
}

TEST_F(CsvSourceTest, TabDelimited) {
  options_.csv_read.delimiter = '\t';
  CsvSource source(Write("a\tb\n1\thello, world\n", "input.tsv"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "hello, world"}}));
}

TEST_F(CsvSourceTest, EmptyLinesSkipped) {
  CsvSource source(Write("\na,b\n\n1,2\n\n3,4\n\n"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "2"}, {"3", "4"}}));
}

TEST_F(CsvSourceTest, EmptyLineInOneColumnFileIsNull) {
  CsvSource source(Write("a\nx\n\ny\n"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"x"}, {"<null>"}, {"y"}}));
}

TEST_F(CsvSourceTest, ExplicitSchemaOverridesInference) {
  options_.csv_read.schema = "zip:string,amount:decimal(10,3),when:timestamp";
  CsvSource source(Write("z,a,w\n00501,1.5,2024-01-01 10:00:00\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "zip:string,amount:decimal(10,3),when:timestamp");
  EXPECT_EQ(ReadAll(source), (Rows{{"00501", "1.500", "2024-01-01T10:00:00"}}));
}

TEST_F(CsvSourceTest, ExplicitSchemaWithoutHeader) {
  options_.csv_read.header = false;
  options_.csv_read.schema = "a:int64,b:string";
  CsvSource source(Write("1,x\n"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "x"}}));
}

TEST_F(CsvSourceTest, ExplicitSchemaColumnCountMismatch) {
  options_.csv_read.schema = "a:int64,b:string";
  std::string path = Write("a,b,c\n1,2,3\n");
  std::string message = InvalidInputMessage([&] { CsvSource source(path, options_); });
  EXPECT_NE(message.find("--schema lists 2 columns"), std::string::npos) << message;
  EXPECT_NE(message.find("has 3 (a, b, c)"), std::string::npos) << message;
}

TEST_F(CsvSourceTest, ExplicitSchemaRowMismatchWithoutHeader) {
  options_.csv_read.header = false;
  options_.csv_read.schema = "a:int64,b:string";
  CsvSource source(Write("1,x,extra\n"), options_);
  std::string message = InvalidInputMessage([&] { ReadAll(source); });
  EXPECT_NE(message.find("expected 2 fields but found 3"), std::string::npos) << message;
}

TEST_F(CsvSourceTest, EmptyFileIsAnError) {
  std::string path = Write("");
  std::string message = InvalidInputMessage([&] { CsvSource source(path, options_); });
  EXPECT_NE(message.find("is empty"), std::string::npos) << message;

  options_.csv_read.schema = "a:int64";
  CsvSource source(path, options_);
  EXPECT_TRUE(ReadAll(source).empty());
}

TEST_F(CsvSourceTest, HeaderOnlyGivesStringColumns) {
  CsvSource source(Write("a,b\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "a:string,b:string");
  EXPECT_TRUE(ReadAll(source).empty());
}

TEST_F(CsvSourceTest, MissingFileIsIOError) {
  try {
    CsvSource source(dir_ + "/missing.csv", options_);
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kIO);
    EXPECT_NE(std::string(error.what()).find("missing.csv"), std::string::npos);
  }
}

TEST_F(CsvSourceTest, GzipInput) {
  std::string text = "id,name\n1,a\n2,b\n";
  std::string compressed(compressBound(text.size()) + 64, '\0');
  z_stream stream{};
  ASSERT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(text.data());
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());
  stream.avail_out = static_cast<uInt>(compressed.size());
  ASSERT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  compressed.resize(stream.total_out);
  deflateEnd(&stream);

  CsvSource source(Write(compressed, "input.csv.gz"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "id:int64,name:string");
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(source.progress().bytes_read, compressed.size());
  EXPECT_EQ(source.progress().total_bytes, compressed.size());
}

TEST_F(CsvSourceTest, InvalidDialectRejected) {
  options_.csv_read.delimiter = '"';
  std::string path = Write("a\n");
  std::string message = InvalidInputMessage([&] { CsvSource source(path, options_); });
  EXPECT_NE(message.find("--input-quote"), std::string::npos) << message;
}

struct MalformedCase {
  std::string input;
  std::string expected;  // a part of the message
};

TEST_F(CsvSourceTest, MalformedRowsNameLineAndColumn) {
  std::string nul = std::string("a,b\n1,x\0y\n", 11);
  std::vector<MalformedCase> cases = {
      {"a,b\n1,2\n3,\"open\n4,5\n",
       "invalid CSV at line 3, column 3 (field 2): unterminated quoted field; close the quote "
       "or use --skip-bad-rows to skip malformed rows"},
      {"a,b\n1,2\n3,4,5\n", "invalid CSV at line 3, column 5 (field 3): expected 2 fields but "
                            "found 3; check the delimiter (',')"},
      {"a,b,c\n1,2\n", "invalid CSV at line 2, column 4 (field 3): expected 3 fields but found 2"},
      {"a,b\n1,\"x\"y\n", "invalid CSV at line 2, column 6 (field 2): unexpected text after"},
      {"a,b\n1,caf\xE9\n", "invalid CSV at line 2, column 6 (field 2): invalid UTF-8 byte 0xE9"},
      {nul, "invalid CSV at line 2, column 4 (field 2): NUL byte"},
  };
  for (const MalformedCase& c : cases) {
    std::string path = Write(c.input);
    std::string message = InvalidInputMessage([&] {
      CsvSource source(path, options_);
      ReadAll(source);
    });
    EXPECT_NE(message.find(c.expected), std::string::npos) << message;
  }
}

TEST_F(CsvSourceTest, MalformedHeader) {
  std::string path = Write("a,\"b\n");
  std::string message = InvalidInputMessage([&] { CsvSource source(path, options_); });
  EXPECT_NE(message.find("invalid CSV header at line 1, column 3 (field 2)"), std::string::npos)
      << message;
}

TEST_F(CsvSourceTest, SkipBadRowsCounts) {
  options_.skip_bad_rows = true;
  CsvSource source(Write("a,b\n1,2\n3,4,5\n6,\xFF\n7,\"x\"y\n8\n9,10\n11,\"open\n12,13\n"),
                   options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "2"}, {"9", "10"}}));
  EXPECT_EQ(source.skipped_rows(), 5u);
}

TEST_F(CsvSourceTest, BadValueAfterSampleNamesValueAndType) {
  options_.csv_read.sample_rows = 3;
  CsvSource source(Write("id,name\n1,a\n2,b\n3,c\n4,d\nabc,e\n6,f\n"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "id:int64,name:string");
  std::string message = InvalidInputMessage([&] { ReadAll(source); });
  EXPECT_NE(message.find("invalid value \"abc\" at line 6, column 1 (field 1), column 'id': not "
                         "a valid int64 (inferred from the first 3 rows); pass --schema listing "
                         "this column as id:string, or use --skip-bad-rows"),
            std::string::npos)
      << message;
}

TEST_F(CsvSourceTest, BadValueSkipped) {
  options_.csv_read.sample_rows = 2;
  options_.skip_bad_rows = true;
  CsvSource source(Write("id,name\n1,a\n2,b\nabc,c\n4,d\n"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "a"}, {"2", "b"}, {"4", "d"}}));
  EXPECT_EQ(source.skipped_rows(), 1u);
}

TEST_F(CsvSourceTest, BadValueForExplicitSchema) {
  options_.csv_read.schema = "d:date";
  CsvSource source(Write("d\n2024-01-01\n2024-13-01\n"), options_);
  std::string message = InvalidInputMessage([&] { ReadAll(source); });
  EXPECT_NE(message.find("invalid value \"2024-13-01\" at line 3"), std::string::npos) << message;
  EXPECT_NE(message.find("as --schema declares"), std::string::npos) << message;
}

TEST_F(CsvSourceTest, SampleRowsReplayedOnce) {
  options_.csv_read.sample_rows = 5;
  std::string content = "n\n";
  for (int i = 0; i < 20; ++i) content += std::to_string(i) + "\n";
  CsvSource source(Write(content), options_);
  Rows rows = ReadAll(source);
  ASSERT_EQ(rows.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(rows[i][0], std::to_string(i));
  EXPECT_EQ(source.progress().rows_read, 20u);
  EXPECT_EQ(source.progress().bytes_read, content.size());
  EXPECT_EQ(source.progress().total_bytes, content.size());
}

TEST_F(CsvSourceTest, QuotedFieldAcrossChunkAndBlock) {
  options_.chunk_bytes = 8 * 1024;
  std::string big(50000, 'q');
  big[1000] = '\n';
  big[2000] = ',';
  std::string content = "id,text\n";
  for (int i = 0; i < 30; ++i) content += std::to_string(i) + ",\"" + big + "\"\n";
  CsvSource source(Write(content), options_, 4096);
  std::vector<size_t> batch_rows;
  Rows rows = ReadAll(source, &batch_rows);
  ASSERT_EQ(rows.size(), 30u);
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(rows[i][0], std::to_string(i));
    EXPECT_EQ(rows[i][1], big);
  }
  for (size_t count : batch_rows) EXPECT_EQ(count, 1u);
}

TEST_F(CsvSourceTest, BatchesStayNearChunkSize) {
  options_.chunk_bytes = 64 * 1024;
  std::string content = "id,name,amount\n";
  for (int i = 0; i < 100000; ++i) {
    content += std::to_string(i) + ",name" + std::to_string(i % 97) + "," +
               std::to_string(i % 1000) + ".25\n";
  }
  CsvSource source(Write(content), options_, 16 * 1024);
  Batch batch(source.schema());
  uint64_t rows = 0;
  uint64_t last_bytes = 0;
  std::vector<uint64_t> batch_bytes;
  while (source.next_batch(batch)) {
    rows += batch.num_rows();
    batch_bytes.push_back(source.progress().bytes_read - last_bytes);
    last_bytes = source.progress().bytes_read;
    EXPECT_LT(batch.byte_size(), 4 * options_.chunk_bytes);
  }
  EXPECT_EQ(rows, 100000u);
  EXPECT_EQ(last_bytes, content.size());
  ASSERT_GT(batch_bytes.size(), 10u);
  for (size_t i = 0; i + 1 < batch_bytes.size(); ++i) {
    EXPECT_GE(batch_bytes[i], options_.chunk_bytes);
    EXPECT_LT(batch_bytes[i], options_.chunk_bytes + 64);  // one row past the chunk at most
  }
}

std::string DataFile(const std::string& name) {
  return std::string(SLUICE_TEST_DATA_DIR) + "/csv/" + name;
}

TEST_F(CsvSourceTest, DataFileRfc4180) {
  CsvSource source(DataFile("rfc4180.csv"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "id:int64,text:string,note:string");
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "a, b", "say \"hi\""},
                                   {"2", "line one\r\nline two", "<null>"},
                                   {"3", "", "plain"},
                                   {"4", "x", "last"}}));
}

TEST_F(CsvSourceTest, DataFileInference) {
  CsvSource source(DataFile("inference.csv"), options_);
  EXPECT_EQ(SchemaText(source.schema()),
            "id:int64,zip:string,amount:decimal(18,2),big:int64,ratio:float64,flag:boolean,"
            "day:date,local_time:timestamp,instant:timestamptz,mixed:string,empty:string");
  Rows rows = ReadAll(source);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][1], "00501");
  EXPECT_EQ(rows[0][2], "1.10");
  EXPECT_EQ(rows[0][3], "1231231231231234123");
  EXPECT_EQ(rows[1][4], "nan");
  EXPECT_EQ(rows[1][5], "false");
  EXPECT_EQ(rows[1][6], "2024-02-29");
  EXPECT_EQ(rows[1][7], "2024-02-29T23:59:59.5");
  EXPECT_EQ(rows[1][8], "2024-03-01T01:00:00");
  EXPECT_EQ(rows[1][9], "abc");
  EXPECT_EQ(rows[2][1], "<null>");
  EXPECT_EQ(rows[2][2], "-0.05");
  EXPECT_EQ(rows[2][10], "<null>");
}

TEST_F(CsvSourceTest, DataFileBomCrlf) {
  CsvSource source(DataFile("bom_crlf.csv"), options_);
  EXPECT_EQ(SchemaText(source.schema()), "name:string,count:int64");
  EXPECT_EQ(ReadAll(source), (Rows{{"caf\xC3\xA9", "1"}, {"\xE2\x82\xAC", "2"}}));
}

TEST_F(CsvSourceTest, DataFileBackslashEscape) {
  options_.csv_read.delimiter = ';';
  options_.csv_read.escape = '\\';
  CsvSource source(DataFile("semicolon_backslash.csv"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "a\"b;c"}, {"2", "d\\e"}}));
}

TEST_F(CsvSourceTest, DataFileUnterminatedQuote) {
  std::string message = InvalidInputMessage([&] {
    CsvSource source(DataFile("unterminated_quote.csv"), options_);
    ReadAll(source);
  });
  EXPECT_NE(message.find("invalid CSV at line 3, column 3 (field 2): unterminated quoted field"),
            std::string::npos)
      << message;

  options_.skip_bad_rows = true;
  CsvSource source(DataFile("unterminated_quote.csv"), options_);
  EXPECT_EQ(ReadAll(source), (Rows{{"1", "2"}}));
  EXPECT_EQ(source.skipped_rows(), 1u);
}

}  // namespace
}  // namespace sluice
