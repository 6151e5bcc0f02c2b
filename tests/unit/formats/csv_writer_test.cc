#include "formats/csv_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/temporal.h"
#include "sluice/error.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

Field StringField(const std::string& name) { return Field{name, DataType{TypeId::kString}}; }

// A one-column string batch; nullopt is a null.
Batch StringBatch(const std::vector<std::optional<std::string>>& values) {
  Batch batch(Schema{StringField("s")});
  for (const auto& value : values) {
    if (value) {
      batch.column(0).append_bytes(*value);
    } else {
      batch.column(0).append_null();
    }
  }
  return batch;
}

std::string WriteCsv(const CsvWriteOptions& options, const Schema& schema,
                     const std::vector<Batch>& batches) {
  StringSink sink;
  CsvWriter writer(options);
  writer.begin(schema, sink);
  for (const Batch& batch : batches) writer.write_batch(batch);
  writer.finish();
  return sink.bytes();
}

std::string WriteStrings(const CsvWriteOptions& options,
                         const std::vector<std::optional<std::string>>& values) {
  return WriteCsv(options, Schema{StringField("s")}, {StringBatch(values)});
}

CsvWriteOptions AlwaysQuoting() {
  CsvWriteOptions options;
  options.quoting = CsvQuoting::kAlways;
  return options;
}

TEST(CsvWriter, NullVersusEmptyMinimal) {
  EXPECT_EQ(WriteStrings({}, {std::nullopt, "", "a"}), "s\n\n\"\"\na\n");
}

TEST(CsvWriter, NullVersusEmptyAlways) {
  EXPECT_EQ(WriteStrings(AlwaysQuoting(), {std::nullopt, "", "a"}), "\"s\"\n\n\"\"\n\"a\"\n");
}

TEST(CsvWriter, CustomNullStringMinimal) {
  CsvWriteOptions options;
  options.null_string = "NULL";
  EXPECT_EQ(WriteStrings(options, {std::nullopt, "", "NULL", "null"}),
            "s\nNULL\n\"\"\n\"NULL\"\nnull\n");
}

TEST(CsvWriter, CustomNullStringAlways) {
  CsvWriteOptions options = AlwaysQuoting();
  options.null_string = "\\N";
  EXPECT_EQ(WriteStrings(options, {std::nullopt, "", "\\N"}), "\"s\"\n\\N\n\"\"\n\"\\N\"\n");
}

TEST(CsvWriter, QuotesSpecialCharacters) {
  EXPECT_EQ(WriteStrings({}, {"a\"b", "a,b", "a\nb", "a\rb", "\"", "plain text"}),
            "s\n\"a\"\"b\"\n\"a,b\"\n\"a\nb\"\n\"a\rb\"\n\"\"\"\"\nplain text\n");
}

TEST(CsvWriter, QuotesEdgeWhitespace) {
  EXPECT_EQ(WriteStrings({}, {" lead", "trail ", "\tlead", "in side", " "}),
            "s\n\" lead\"\n\"trail \"\n\"\tlead\"\nin side\n\" \"\n");
}

TEST(CsvWriter, CustomDelimiterAndQuote) {
  CsvWriteOptions options;
  options.delimiter = ';';
  options.quote = '\'';
  Schema schema{StringField("a"), StringField("b")};
  Batch batch(schema);
  batch.column(0).append_bytes("x;y");
  batch.column(1).append_bytes("it's");
  batch.column(0).append_bytes("x,y");
  batch.column(1).append_bytes("say \"hi\"");
  EXPECT_EQ(WriteCsv(options, schema, {batch}), "a;b\n'x;y';'it''s'\nx,y;say \"hi\"\n");
}

TEST(CsvWriter, KeepsNonAscii) {
  EXPECT_EQ(WriteStrings({}, {"h\xC3\xA9llo \xE2\x9C\x93", "\xE6\x97\xA5\xE6\x9C\xAC"}),
            "s\nh\xC3\xA9llo \xE2\x9C\x93\n\xE6\x97\xA5\xE6\x9C\xAC\n");
}

TEST(CsvWriter, HeaderNamesFollowQuotingRules) {
  Schema schema{StringField("a,b"), StringField(""), StringField("q\"")};
  EXPECT_EQ(WriteCsv({}, schema, {}), "\"a,b\",\"\",\"q\"\"\"\n");
}

TEST(CsvWriter, NoHeader) {
  CsvWriteOptions options;
  options.header = false;
  EXPECT_EQ(WriteStrings(options, {"a"}), "a\n");
}

TEST(CsvWriter, IntegersAndDecimals) {
  Schema schema{Field{"i", DataType{TypeId::kInt64}}, Field{"d", DataType::Decimal(10, 2)},
                Field{"w", DataType::Decimal(38, 0)}};
  Batch batch(schema);
  auto add = [&](int64_t i, Int128 d, Int128 w) {
    batch.column(0).append_int64(i);
    batch.column(1).append_decimal(d);
    batch.column(2).append_decimal(w);
  };
  Int128 wide = static_cast<Int128>(1000000000000000000LL) * 1000000000000000000LL * 10;
  add(std::numeric_limits<int64_t>::min(), 110, wide);
  add(std::numeric_limits<int64_t>::max(), -5, -wide);
  add(0, 0, 0);
  EXPECT_EQ(WriteCsv({}, schema, {batch}),
            "i,d,w\n"
            "-9223372036854775808,1.10,10000000000000000000000000000000000000\n"
            "9223372036854775807,-0.05,-10000000000000000000000000000000000000\n"
            "0,0.00,0\n");
}

TEST(CsvWriter, Doubles) {
  Schema schema{Field{"x", DataType{TypeId::kFloat64}}};
  Batch batch(schema);
  for (double value : {0.1, 1e300, 5e-324, -0.0, std::nan(""),
                       std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
    batch.column(0).append_double(value);
  }
  EXPECT_EQ(WriteCsv({}, schema, {batch}),
            "x\n0.1\n1e+300\n5e-324\n-0\nNaN\nInfinity\n-Infinity\n");
}

TEST(CsvWriter, BooleansAndBinary) {
  Schema schema{Field{"b", DataType{TypeId::kBoolean}}, Field{"bin", DataType{TypeId::kBinary}}};
  Batch batch(schema);
  batch.column(0).append_bool(true);
  batch.column(1).append_bytes(std::string("\xfb\xff", 2));
  batch.column(0).append_bool(false);
  batch.column(1).append_bytes("");
  batch.column(0).append_null();
  batch.column(1).append_null();
  EXPECT_EQ(WriteCsv({}, schema, {batch}), "b,bin\ntrue,+/8=\nfalse,\"\"\n,\n");
}

Schema TemporalSchema() {
  return Schema{Field{"d", DataType{TypeId::kDate}}, Field{"t", DataType{TypeId::kTimestamp}},
                Field{"tz", DataType{TypeId::kTimestampTz}}};
}

Batch TemporalBatch() {
  Batch batch(TemporalSchema());
  int64_t moment = DaysFromCivil(2024, 2, 29) * kMicrosPerDay + 3723 * kMicrosPerSecond;
  batch.column(0).append_int64(DaysFromCivil(2024, 2, 29));
  batch.column(1).append_int64(moment);
  batch.column(2).append_int64(moment + 120000);
  batch.column(0).append_int64(-1);
  batch.column(1).append_int64(-500000);
  batch.column(2).append_int64(-1);
  return batch;
}

TEST(CsvWriter, TemporalIsoDefaults) {
  EXPECT_EQ(WriteCsv({}, TemporalSchema(), {TemporalBatch()}),
            "d,t,tz\n"
            "2024-02-29,2024-02-29T01:02:03,2024-02-29T01:02:03.12Z\n"
            "1969-12-31,1969-12-31T23:59:59.5,1969-12-31T23:59:59.999999Z\n");
}

TEST(CsvWriter, TemporalCustomFormats) {
  CsvWriteOptions options;
  options.date_format = "%d/%m/%Y";
  options.timestamp_format = "%Y-%m-%d %H:%M:%S.%f";
  EXPECT_EQ(WriteCsv(options, TemporalSchema(), {TemporalBatch()}),
            "d,t,tz\n"
            "29/02/2024,2024-02-29 01:02:03.000000,2024-02-29 01:02:03.120000\n"
            "31/12/1969,1969-12-31 23:59:59.500000,1969-12-31 23:59:59.999999\n");
}

TEST(CsvWriter, CustomFormatWithDelimiterIsQuoted) {
  CsvWriteOptions options;
  options.date_format = "%d,%m,%Y";
  Schema schema{Field{"d", DataType{TypeId::kDate}}};
  Batch batch(schema);
  batch.column(0).append_int64(0);
  EXPECT_EQ(WriteCsv(options, schema, {batch}), "d\n\"01,01,1970\"\n");
}

TEST(CsvWriter, AlwaysQuotingQuotesNumbers) {
  Schema schema{Field{"i", DataType{TypeId::kInt64}}, Field{"x", DataType{TypeId::kFloat64}}};
  Batch batch(schema);
  batch.column(0).append_int64(-1);
  batch.column(1).append_double(2.5);
  batch.column(0).append_null();
  batch.column(1).append_null();
  EXPECT_EQ(WriteCsv(AlwaysQuoting(), schema, {batch}), "\"i\",\"x\"\n\"-1\",\"2.5\"\n,\n");
}

TEST(CsvWriter, NumberEqualToNullStringIsQuoted) {
  CsvWriteOptions options;
  options.null_string = "0";
  Schema schema{Field{"i", DataType{TypeId::kInt64}}};
  Batch batch(schema);
  batch.column(0).append_int64(0);
  batch.column(0).append_null();
  batch.column(0).append_int64(10);
  EXPECT_EQ(WriteCsv(options, schema, {batch}), "i\n\"0\"\n0\n10\n");
}

TEST(CsvWriter, DelimiterInsideNumbersIsQuoted) {
  CsvWriteOptions options;
  options.delimiter = '.';
  Schema schema{Field{"x", DataType{TypeId::kFloat64}}, Field{"i", DataType{TypeId::kInt64}}};
  Batch batch(schema);
  batch.column(0).append_double(1.5);
  batch.column(1).append_int64(2);
  EXPECT_EQ(WriteCsv(options, schema, {batch}), "x.i\n\"1.5\".2\n");
}

TEST(CsvWriter, ByteOrderMarkOnce) {
  CsvWriteOptions options;
  options.byte_order_mark = true;
  Schema schema{StringField("s")};
  EXPECT_EQ(WriteCsv(options, schema, {StringBatch({"a"}), StringBatch({"b"})}),
            "\xEF\xBB\xBFs\na\nb\n");

  options.header = false;
  EXPECT_EQ(WriteCsv(options, schema, {StringBatch({"a"}), StringBatch({"b"})}),
            "\xEF\xBB\xBF" "a\nb\n");
}

TEST(CsvWriter, CrlfLineEndings) {
  CsvWriteOptions options;
  options.line_ending = "\r\n";
  Schema schema{StringField("a"), StringField("b")};
  Batch batch(schema);
  batch.column(0).append_bytes("x");
  batch.column(1).append_bytes("line\r\nbreak");
  EXPECT_EQ(WriteCsv(options, schema, {batch}), "a,b\r\nx,\"line\r\nbreak\"\r\n");
}

TEST(CsvWriter, FormulaGuardOn) {
  CsvWriteOptions options;
  options.formula_guard = true;
  Schema schema{StringField("s"), Field{"i", DataType{TypeId::kInt64}},
                Field{"x", DataType{TypeId::kFloat64}}};
  Batch batch(schema);
  const char* texts[] = {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "safe", "a=b"};
  for (const char* text : texts) {
    batch.column(0).append_bytes(text);
    batch.column(1).append_int64(-5);
    batch.column(2).append_double(-0.5);
  }

  StringSink sink;
  CsvWriter writer(options);
  writer.begin(schema, sink);
  writer.write_batch(batch);
  writer.finish();
  EXPECT_EQ(sink.bytes(),
            "s,i,x\n"
            "'=1+2,-5,-0.5\n"
            "'+1,-5,-0.5\n"
            "'-1,-5,-0.5\n"
            "'@SUM(A1),-5,-0.5\n"
            "'\tx,-5,-0.5\n"
            "\"'\rx\",-5,-0.5\n"
            "safe,-5,-0.5\n"
            "a=b,-5,-0.5\n");
  EXPECT_EQ(writer.altered_values(), 6u);
}

TEST(CsvWriter, FormulaGuardWithApostropheQuote) {
  CsvWriteOptions options;
  options.formula_guard = true;
  options.quote = '\'';
  EXPECT_EQ(WriteStrings(options, {"=x"}), "s\n'''=x'\n");
}

TEST(CsvWriter, FormulaGuardOffByDefault) {
  CsvWriteOptions options;
  EXPECT_FALSE(options.formula_guard);
  EXPECT_EQ(WriteStrings(options, {"=1+2", "-1", "@x"}), "s\n=1+2\n-1\n@x\n");
}

TEST(CsvWriter, LargeBatchFlushesInPieces) {
  Schema schema{Field{"i", DataType{TypeId::kInt64}}, StringField("s")};
  Batch batch(schema);
  std::string expected = "i,s\n";
  for (int64_t i = 0; i < 200000; ++i) {
    batch.column(0).append_int64(i);
    batch.column(1).append_bytes("value");
    expected += std::to_string(i) + ",value\n";
  }

  StringSink sink;
  CsvWriter writer({});
  writer.begin(schema, sink);
  writer.write_batch(batch);
  writer.finish();
  EXPECT_EQ(sink.bytes(), expected);
  EXPECT_GT(sink.record().writes, 2);
  EXPECT_LT(sink.record().writes, 10);
}

TEST(CsvWriter, RejectsAmbiguousOptions) {
  CsvWriteOptions same;
  same.quote = ',';
  EXPECT_THROW(CsvWriter writer(same), Error);

  CsvWriteOptions newline_delimiter;
  newline_delimiter.delimiter = '\n';
  EXPECT_THROW(CsvWriter writer(newline_delimiter), Error);

  CsvWriteOptions bad_ending;
  bad_ending.line_ending = "\r";
  EXPECT_THROW(CsvWriter writer(bad_ending), Error);

  CsvWriteOptions bad_format;
  bad_format.timestamp_format = "%Y %Q";
  EXPECT_THROW(CsvWriter writer(bad_format), Error);
}

TEST(CsvWriter, RejectsNullStringWithDelimiter) {
  CsvWriteOptions options;
  options.null_string = "a,b";
  try {
    CsvWriter writer(options);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidOption);
    EXPECT_STREQ(error.what(),
                 "invalid CSV null string 'a,b': it contains ','; choose text without the "
                 "delimiter, the quote or line breaks");
  }
}

}  // namespace
}  // namespace sluice
