#include "sources/csv_tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sluice {
namespace {

using Records = std::vector<std::vector<std::string>>;

// Serves `input` at most `read_size` bytes per read, so records and fields
// cross read and block boundaries at every possible place.
ReadFunction StringReader(std::string input, size_t read_size) {
  auto offset = std::make_shared<size_t>(0);
  auto text = std::make_shared<std::string>(std::move(input));
  return [=](char* dest, size_t capacity) {
    size_t count = std::min({capacity, read_size, text->size() - *offset});
    text->copy(dest, count, *offset);
    *offset += count;
    return count;
  };
}

Records Tokenize(const std::string& input, CsvDialect dialect = {}, size_t read_size = 1 << 20,
                 size_t block_bytes = kCsvBlockBytes) {
  CsvTokenizer tokenizer(StringReader(input, read_size), dialect, block_bytes);
  Records records;
  while (tokenizer.next_record()) {
    EXPECT_EQ(tokenizer.problem(), CsvProblem::kNone) << input;
    std::vector<std::string> fields;
    for (size_t i = 0; i < tokenizer.num_fields(); ++i) fields.emplace_back(tokenizer.field(i));
    records.push_back(fields);
  }
  return records;
}

// Tokenizes with every read size from 1 to 9 bytes and a 16-byte block, and
// checks each result equals the one from a single read.
Records TokenizeEverySplit(const std::string& input, CsvDialect dialect = {}) {
  Records expected = Tokenize(input, dialect);
  for (size_t read_size = 1; read_size < 10; ++read_size) {
    EXPECT_EQ(Tokenize(input, dialect, read_size, 16), expected)
        << "read size " << read_size << " input " << input;
  }
  return expected;
}

TEST(CsvTokenizer, PlainRecords) {
  EXPECT_EQ(TokenizeEverySplit("a,b,c\n1,2,3\n"), (Records{{"a", "b", "c"}, {"1", "2", "3"}}));
}

TEST(CsvTokenizer, LastRecordWithoutLineBreak) {
  EXPECT_EQ(TokenizeEverySplit("a,b\n1,2"), (Records{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(TokenizeEverySplit("a,b\n1,"), (Records{{"a", "b"}, {"1", ""}}));
}

TEST(CsvTokenizer, LineEndings) {
  Records expected{{"a", "b"}, {"1", "2"}, {"3", "4"}};
  EXPECT_EQ(TokenizeEverySplit("a,b\n1,2\n3,4\n"), expected);
  EXPECT_EQ(TokenizeEverySplit("a,b\r\n1,2\r\n3,4\r\n"), expected);
  EXPECT_EQ(TokenizeEverySplit("a,b\r1,2\r3,4\r"), expected);
  EXPECT_EQ(TokenizeEverySplit("a,b\r\n1,2\r3,4\n"), expected);
}

TEST(CsvTokenizer, QuotedDelimiterAndDoubledQuotes) {
  EXPECT_EQ(TokenizeEverySplit("\"a,b\",\"say \"\"hi\"\"\",\"\"\"\"\n"),
            (Records{{"a,b", "say \"hi\"", "\""}}));
}

TEST(CsvTokenizer, LineBreaksInsideQuotes) {
  EXPECT_EQ(TokenizeEverySplit("\"1\n2\",\"3\r\n4\",\"5\r6\"\nx,y,z\n"),
            (Records{{"1\n2", "3\r\n4", "5\r6"}, {"x", "y", "z"}}));
}

TEST(CsvTokenizer, EmptyFieldsAndEmptyLines) {
  EXPECT_EQ(TokenizeEverySplit(",,\n\n\"\",x\n"), (Records{{"", "", ""}, {""}, {"", "x"}}));
}

TEST(CsvTokenizer, QuotedFlagSeparatesEmptyFromMissing) {
  CsvTokenizer tokenizer(StringReader("\"\",\n", 100), {});
  ASSERT_TRUE(tokenizer.next_record());
  ASSERT_EQ(tokenizer.num_fields(), 2u);
  EXPECT_TRUE(tokenizer.field_quoted(0));
  EXPECT_FALSE(tokenizer.field_quoted(1));
  EXPECT_FALSE(tokenizer.record_is_empty_line());
}

TEST(CsvTokenizer, ByteOrderMarkSkipped) {
  EXPECT_EQ(TokenizeEverySplit("\xEF\xBB\xBFid,name\n1,x\n"), (Records{{"id", "name"}, {"1", "x"}}));
  // A BOM anywhere else is data.
  EXPECT_EQ(Tokenize("a\n\xEF\xBB\xBF" "b\n"), (Records{{"a"}, {"\xEF\xBB\xBF" "b"}}));
}

TEST(CsvTokenizer, CustomDelimiterAndQuote) {
  CsvDialect dialect{'\t', '\'', '\''};
  EXPECT_EQ(TokenizeEverySplit("a\t'b\tc'\t'it''s'\n", dialect),
            (Records{{"a", "b\tc", "it's"}}));
}

TEST(CsvTokenizer, BackslashEscape) {
  CsvDialect dialect{',', '"', '\\'};
  EXPECT_EQ(TokenizeEverySplit("\"a\\\"b\",\"c\\\\d\",\"e\\xf\",g\\h\n", dialect),
            (Records{{"a\"b", "c\\d", "exf", "g\\h"}}));
}

TEST(CsvTokenizer, QuoteInsideUnquotedFieldIsData) {
  EXPECT_EQ(TokenizeEverySplit("5\" pipe,x\n"), (Records{{"5\" pipe", "x"}}));
}

TEST(CsvTokenizer, MultiByteUtf8) {
  EXPECT_EQ(TokenizeEverySplit("caf\xC3\xA9,\"\xE2\x82\xAC\",\xF0\x9F\x98\x80\n"),
            (Records{{"caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"}}));
}

TEST(CsvTokenizer, FieldLargerThanBlock) {
  std::string big(100000, 'x');
  big[500] = '\n';
  big[777] = '"';
  std::string quoted = big;
  size_t pos = 0;
  while ((pos = quoted.find('"', pos)) != std::string::npos) {
    quoted.insert(pos, "\"");
    pos += 2;
  }
  std::string input = "a,\"" + quoted + "\",b\nc,d,e\n";
  Records records = Tokenize(input, {}, 1000, 16);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0][1], big);
  EXPECT_EQ(records[1], (std::vector<std::string>{"c", "d", "e"}));
}

TEST(CsvTokenizer, RecordLinesCountBreaksInQuotes) {
  CsvTokenizer tokenizer(StringReader("a\n\"x\ny\r\nz\"\nb\r\nc\rd\n", 3), {}, 16);
  std::vector<uint64_t> lines;
  while (tokenizer.next_record()) lines.push_back(tokenizer.record_line());
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 2, 5, 6, 7}));
}

TEST(CsvTokenizer, ConsumedBytesCountsBom) {
  CsvTokenizer tokenizer(StringReader("\xEF\xBB\xBF" "a,b\n1,2\n", 100), {});
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.consumed_bytes(), 7u);
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.consumed_bytes(), 11u);
  EXPECT_FALSE(tokenizer.next_record());
}

struct ProblemCase {
  std::string input;
  CsvProblem problem;
  size_t field;     // 0-based
  uint64_t line;
  uint64_t column;
};

TEST(CsvTokenizer, ProblemsAndPositions) {
  std::vector<ProblemCase> cases = {
      {"a,b\n1,\"open\n", CsvProblem::kUnterminatedQuote, 1, 2, 3},
      {"a,b\n1,\"x\"y,z\n", CsvProblem::kTextAfterQuote, 1, 2, 6},
      {"a,b\n1,ab\xFF\n", CsvProblem::kInvalidUtf8, 1, 2, 5},
      {"a,b\n1,\"q\nr\xC3\x28\"\n", CsvProblem::kInvalidUtf8, 1, 3, 2},
      {"a,b\nxy\0z,1\n", CsvProblem::kNulByte, 0, 2, 3},
      {"\xC0\x80\n", CsvProblem::kInvalidUtf8, 0, 1, 1},
      {"\xED\xA0\x80\n", CsvProblem::kInvalidUtf8, 0, 1, 1},
      {"ok,\xE2\x82\n", CsvProblem::kInvalidUtf8, 1, 1, 4},
      {"ok,\xE2\x82", CsvProblem::kInvalidUtf8, 1, 1, 4},
  };
  cases[4].input = std::string("a,b\nxy\0z,1\n", 11);
  for (const ProblemCase& c : cases) {
    for (size_t read_size : {1, 2, 5, 1000}) {
      CsvTokenizer tokenizer(StringReader(c.input, read_size), {}, 16);
      bool found = false;
      while (tokenizer.next_record()) {
        if (tokenizer.problem() == CsvProblem::kNone) continue;
        found = true;
        EXPECT_EQ(tokenizer.problem(), c.problem) << c.input;
        EXPECT_EQ(tokenizer.problem_field(), c.field) << c.input;
        EXPECT_EQ(tokenizer.problem_position().line, c.line) << c.input;
        EXPECT_EQ(tokenizer.problem_position().column, c.column) << c.input;
        break;
      }
      EXPECT_TRUE(found) << c.input;
    }
  }
}

TEST(CsvTokenizer, RecordAfterProblemIsIntact) {
  CsvTokenizer tokenizer(StringReader("\"x\"y,1\n2,3\n", 100), {});
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.problem(), CsvProblem::kTextAfterQuote);
  EXPECT_EQ(tokenizer.num_fields(), 2u);
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.problem(), CsvProblem::kNone);
  EXPECT_EQ(tokenizer.field(0), "2");
}

TEST(CsvTokenizer, UnterminatedQuoteEndsInput) {
  CsvTokenizer tokenizer(StringReader("1,\"a\nb,c\nd\n", 100), {});
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.problem(), CsvProblem::kUnterminatedQuote);
  EXPECT_FALSE(tokenizer.next_record());
}

TEST(CsvTokenizer, FieldPositionsAndRecordEnd) {
  CsvTokenizer tokenizer(StringReader("x\n\"a\nb\",cc,d\n", 100), {});
  ASSERT_TRUE(tokenizer.next_record());
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.field_position(0).line, 2u);
  EXPECT_EQ(tokenizer.field_position(0).column, 1u);
  EXPECT_EQ(tokenizer.field_position(1).line, 3u);
  EXPECT_EQ(tokenizer.field_position(1).column, 4u);
  EXPECT_EQ(tokenizer.record_end_position().line, 3u);
  EXPECT_EQ(tokenizer.record_end_position().column, 8u);
}

TEST(CsvTokenizer, RewindReplaysFromMark) {
  std::string input = "h\n";
  for (int i = 0; i < 200; ++i) input += std::to_string(i) + "\n";
  CsvTokenizer tokenizer(StringReader(input, 7), {}, 16);
  ASSERT_TRUE(tokenizer.next_record());
  tokenizer.set_mark();
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(tokenizer.next_record());
  EXPECT_GT(tokenizer.retained_bytes(), 400u);
  tokenizer.rewind_to_mark();
  EXPECT_EQ(tokenizer.consumed_bytes(), 2u);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(tokenizer.next_record());
    EXPECT_EQ(tokenizer.field(0), std::to_string(i));
    EXPECT_EQ(tokenizer.record_line(), static_cast<uint64_t>(i + 2));
  }
  EXPECT_FALSE(tokenizer.next_record());
}

TEST(CsvTokenizer, MarkBeforeFirstRecordKeepsBomSkipped) {
  CsvTokenizer tokenizer(StringReader("\xEF\xBB\xBF" "a\nb\n", 100), {});
  tokenizer.set_mark();
  ASSERT_TRUE(tokenizer.next_record());
  tokenizer.rewind_to_mark();
  ASSERT_TRUE(tokenizer.next_record());
  EXPECT_EQ(tokenizer.field(0), "a");
}

// Describes every record, its problem and its line, for comparing runs.
std::string Describe(const std::string& input, CsvDialect dialect, size_t read_size,
                     size_t block_bytes) {
  CsvTokenizer tokenizer(StringReader(input, read_size), dialect, block_bytes);
  std::string out;
  while (tokenizer.next_record()) {
    out += std::to_string(tokenizer.record_line()) + ":";
    for (size_t i = 0; i < tokenizer.num_fields(); ++i) {
      out += "[" + std::string(tokenizer.field(i)) + (tokenizer.field_quoted(i) ? "]q" : "]");
    }
    if (tokenizer.problem() != CsvProblem::kNone) {
      TextPosition position = tokenizer.problem_position();
      out += " problem " + std::to_string(static_cast<int>(tokenizer.problem())) + " at " +
             std::to_string(position.line) + "," + std::to_string(position.column);
    }
    out += "\n";
  }
  return out;
}

TEST(CsvTokenizer, RandomInputSameForEverySplit) {
  const std::string alphabet[] = {"a", "b", ",", "\"", "\n", "\r", "\\", "\xC3\xA9", "\xC3",
                                  "\xFF", std::string(1, '\0'), "\"\"", "\r\n"};
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 300; ++round) {
    std::string input;
    size_t length = next() % 60;
    for (size_t i = 0; i < length; ++i) input += alphabet[next() % std::size(alphabet)];
    for (CsvDialect dialect : {CsvDialect{}, CsvDialect{',', '"', '\\'}}) {
      std::string expected = Describe(input, dialect, 1 << 20, kCsvBlockBytes);
      for (size_t read_size : {1, 2, 3, 5, 8}) {
        EXPECT_EQ(Describe(input, dialect, read_size, 16), expected) << "round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace sluice
