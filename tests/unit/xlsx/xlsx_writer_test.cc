#include "formats/xlsx/xlsx_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "core/batch.h"
#include "sinks/byte_sink.h"
#include "sluice/error.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

struct Workbook {
  std::string bytes;
  uint64_t altered = 0;
};

Workbook Export(const ExportOptions& options, const Schema& schema, const std::vector<Batch>& batches) {
  StringSink sink;
  auto writer = MakeXlsxWriter(options);
  writer->begin(schema, sink);
  for (const Batch& batch : batches) writer->write_batch(batch);
  writer->finish();
  return {sink.bytes(), writer->altered_values()};
}

// Returns one member of the ZIP archive, read with the unzip tool.
std::string Member(const std::string& xlsx, const std::string& member) {
  std::string path = ::testing::TempDir() + "xlsx_writer_test_" + std::to_string(getpid()) + ".xlsx";
  std::ofstream(path, std::ios::binary) << xlsx;
  std::string command = "unzip -p '" + path + "' '" + member + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  size_t count;
  while ((count = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, count);
  pclose(pipe);
  std::remove(path.c_str());
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Schema OneColumn(TypeId type) { return {{"v", {type}, true}}; }

Batch Strings(const std::vector<std::string>& values) {
  Batch batch(OneColumn(TypeId::kString));
  for (const std::string& value : values) batch.column(0).append_bytes(value);
  return batch;
}

Batch Int64s(const std::vector<int64_t>& values, TypeId type = TypeId::kInt64) {
  Batch batch(OneColumn(type));
  for (int64_t value : values) batch.column(0).append_int64(value);
  return batch;
}

TEST(XlsxWriter, HeaderBoldAndFrozen) {
  Workbook book = Export({}, OneColumn(TypeId::kInt64), {Int64s({1})});
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, R"(<pane ySplit="1" topLeftCell="A2")")) << sheet;
  EXPECT_TRUE(Contains(sheet, R"(<c r="A1" s="1" t="inlineStr"><is><t>v</t></is></c>)")) << sheet;
  EXPECT_TRUE(Contains(sheet, R"(<c r="A2"><v>1</v></c>)")) << sheet;
  EXPECT_TRUE(Contains(Member(book.bytes, "xl/styles.xml"), "<b/>"));
}

TEST(XlsxWriter, FixedCreationTime) {
  Workbook book = Export({}, OneColumn(TypeId::kInt64), {Int64s({1})});
  std::string core = Member(book.bytes, "docProps/core.xml");
  EXPECT_TRUE(Contains(core, "1980-01-01T00:00:00Z")) << core;
}

TEST(XlsxWriter, SameInputSameBytes) {
  std::vector<Batch> batches = {Strings({"a", "b"})};
  EXPECT_EQ(Export({}, OneColumn(TypeId::kString), batches).bytes,
            Export({}, OneColumn(TypeId::kString), batches).bytes);
}

TEST(XlsxWriter, OverflowStartsNewSheetWithHeader) {
  ExportOptions options;
  options.xlsx_write.max_rows = 3;
  Workbook book = Export(options, OneColumn(TypeId::kInt64), {Int64s({1, 2, 3, 4, 5})});
  std::string workbook = Member(book.bytes, "xl/workbook.xml");
  EXPECT_TRUE(Contains(workbook, R"(name="Sheet1")"));
  EXPECT_TRUE(Contains(workbook, R"(name="Sheet2")"));
  EXPECT_TRUE(Contains(workbook, R"(name="Sheet3")"));
  EXPECT_FALSE(Contains(workbook, R"(name="Sheet4")"));
  std::string third = Member(book.bytes, "xl/worksheets/sheet3.xml");
  EXPECT_TRUE(Contains(third, "<t>v</t>")) << third;
  EXPECT_TRUE(Contains(third, R"(<c r="A2"><v>5</v></c>)")) << third;
  EXPECT_FALSE(Contains(third, R"(r="A3")")) << third;
}

TEST(XlsxWriter, OverflowWithSheetName) {
  ExportOptions options;
  options.xlsx_write.max_rows = 2;
  options.xlsx_write.sheet_name = "Q1/Q2";
  Workbook book = Export(options, OneColumn(TypeId::kInt64), {Int64s({1, 2})});
  std::string workbook = Member(book.bytes, "xl/workbook.xml");
  EXPECT_TRUE(Contains(workbook, R"(name="Q1_Q2")")) << workbook;
  EXPECT_TRUE(Contains(workbook, R"x(name="Q1_Q2 (2)")x")) << workbook;
}

TEST(XlsxWriter, OverflowErrorMode) {
  ExportOptions options;
  options.xlsx_write.max_rows = 3;
  options.xlsx_write.overflow = XlsxOverflow::kError;
  EXPECT_NO_THROW(Export(options, OneColumn(TypeId::kInt64), {Int64s({1, 2})}));
  try {
    Export(options, OneColumn(TypeId::kInt64), {Int64s({1, 2, 3})});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidInput);
    EXPECT_TRUE(Contains(error.what(), "more than 2 rows")) << error.what();
  }
}

TEST(XlsxWriter, TooManyColumnsRejectedBeforeWriting) {
  ExportOptions options;
  options.xlsx_write.max_columns = 2;
  Schema schema = {{"a", {TypeId::kInt64}}, {"b", {TypeId::kInt64}}, {"c", {TypeId::kInt64}}};
  StringSink sink;
  auto writer = MakeXlsxWriter(options);
  EXPECT_THROW(writer->begin(schema, sink), Error);
  EXPECT_TRUE(sink.bytes().empty());
}

TEST(XlsxWriter, LongTextCutAndCounted) {
  ExportOptions options;
  options.xlsx_write.max_text_units = 5;
  Workbook book = Export(options, OneColumn(TypeId::kString), {Strings({"abcdefgh", "abc", "a\xF0\x9F\x98\x80\xF0\x9F\x98\x80"})});
  EXPECT_EQ(book.altered, 1u);
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>abcde</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>abc</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>a\xF0\x9F\x98\x80\xF0\x9F\x98\x80</t>")) << sheet;  // exactly 5 units
}

TEST(XlsxWriter, EscapesWrittenOnce) {
  Workbook book = Export({}, OneColumn(TypeId::kString), {Strings({"a\x01z", "_x0041_", "x\ry"})});
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>a_x0001_z</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>_x005F_x0041_</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>x_x000D_y</t>")) << sheet;
  EXPECT_EQ(book.altered, 0u);
}

TEST(XlsxWriter, FormulaGuard) {
  std::vector<Batch> batches = {Strings({"=1+2", "+x", "-1", "@SUM(A1)", "\tx", "plain"})};
  std::string sheet = Member(Export({}, OneColumn(TypeId::kString), batches).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>'=1+2</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>'+x</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>'-1</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>'@SUM(A1)</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>plain</t>")) << sheet;
  EXPECT_FALSE(Contains(sheet, "<f>")) << sheet;

  ExportOptions off;
  off.xlsx_write.formula_guard = false;
  sheet = Member(Export(off, OneColumn(TypeId::kString), batches).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>=1+2</t>")) << sheet;
  EXPECT_FALSE(Contains(sheet, "<f>")) << sheet;
}

TEST(XlsxWriter, LargeInt64AsText) {
  std::vector<Batch> batches = {Int64s({9007199254740992LL, 9007199254740993LL, INT64_MIN})};
  std::string sheet = Member(Export({}, OneColumn(TypeId::kInt64), batches).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<v>9007199254740992</v>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>9007199254740993</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>-9223372036854775808</t>")) << sheet;

  ExportOptions numbers;
  numbers.xlsx_write.large_int64_as_numbers = true;
  sheet = Member(Export(numbers, OneColumn(TypeId::kInt64), batches).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_FALSE(Contains(sheet, "<t>9007199254740993</t>")) << sheet;
}

TEST(XlsxWriter, NonFiniteDoublesAsText) {
  Batch batch(OneColumn(TypeId::kFloat64));
  batch.column(0).append_double(1.5);
  batch.column(0).append_double(std::numeric_limits<double>::quiet_NaN());
  batch.column(0).append_double(-std::numeric_limits<double>::infinity());
  Workbook book = Export({}, OneColumn(TypeId::kFloat64), {batch});
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<v>1.5</v>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>NaN</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>-Infinity</t>")) << sheet;
  EXPECT_EQ(book.altered, 2u);
}

TEST(XlsxWriter, DatesAsSerialsWithFormat) {
  // 1970-01-01 is serial 25569; 1900-03-01 is 61; 1800-01-01 is outside Excel's range.
  Workbook book = Export({}, OneColumn(TypeId::kDate), {Int64s({0, -25508, -62091}, TypeId::kDate)});
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, R"(<c r="A2" s="2"><v>25569</v></c>)")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<v>61</v>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>1800-01-01</t>")) << sheet;
  EXPECT_EQ(book.altered, 1u);
  EXPECT_TRUE(Contains(Member(book.bytes, "xl/styles.xml"), R"(formatCode="yyyy-mm-dd")"));
}

TEST(XlsxWriter, TimestampsAsSerials) {
  // 1970-01-02T12:00:00 is serial 25570.5.
  Workbook book = Export({}, OneColumn(TypeId::kTimestampTz), {Int64s({36LL * 3600 * 1000000}, TypeId::kTimestampTz)});
  std::string sheet = Member(book.bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<v>25570.5</v>")) << sheet;
  EXPECT_TRUE(Contains(Member(book.bytes, "xl/styles.xml"), R"(formatCode="yyyy-mm-dd hh:mm:ss")"));
}

TEST(XlsxWriter, DecimalsNumbersUpTo15Digits) {
  Schema schema = {{"d", DataType::Decimal(20, 2), true}};
  Batch batch(schema);
  batch.column(0).append_decimal(-12345);                          // -123.45
  batch.column(0).append_decimal(Int128{123456789012345});         // 15 digits
  batch.column(0).append_decimal(Int128{1234567890123456});        // 16 digits
  std::string sheet = Member(Export({}, schema, {batch}).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<v>-123.45</v>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<v>1234567890123.45</v>")) << sheet;
  EXPECT_TRUE(Contains(sheet, "<t>12345678901234.56</t>")) << sheet;
}

TEST(XlsxWriter, BinaryAsBase64AndBooleans) {
  Schema schema = {{"b", {TypeId::kBinary}, true}, {"f", {TypeId::kBoolean}, true}};
  Batch batch(schema);
  batch.column(0).append_bytes(std::string("\xff\x00", 2));
  batch.column(1).append_bool(true);
  batch.column(0).append_null();
  batch.column(1).append_null();
  std::string sheet = Member(Export({}, schema, {batch}).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>/wA=</t>")) << sheet;
  EXPECT_TRUE(Contains(sheet, R"(<c r="B2" t="b"><v>1</v></c>)")) << sheet;
  EXPECT_FALSE(Contains(sheet, R"(r="A3")")) << sheet;
}

TEST(XlsxWriter, InvalidLimitsRejected) {
  ExportOptions options;
  options.xlsx_write.max_rows = 1;
  EXPECT_THROW(MakeXlsxWriter(options), Error);
  options.xlsx_write.max_rows = 1048577;
  EXPECT_THROW(MakeXlsxWriter(options), Error);
}

}  // namespace
}  // namespace sluice

namespace sluice {
namespace {

TEST(XlsxWriter, HeaderNamesGuarded) {
  Schema schema = {{"=cmd", {TypeId::kInt64}, true}};
  std::string sheet = Member(Export({}, schema, {}).bytes, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(Contains(sheet, "<t>'=cmd</t>")) << sheet;
}

}  // namespace
}  // namespace sluice
