#include "formats/xlsx/xlsx_text.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

std::string Prepare(std::string_view text, uint64_t max_units = kExcelMaxTextUnits, XlsxTextResult* result = nullptr) {
  std::string out;
  XlsxTextResult local = PrepareXlsxText(text, max_units, out);
  if (result) *result = local;
  return out;
}

TEST(XlsxText, PlainTextUnchanged) {
  EXPECT_EQ(Prepare("hello, world"), "hello, world");
  EXPECT_EQ(Prepare("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(Prepare("a_b"), "a_b");
  EXPECT_EQ(Prepare("tab\tand\nnewline"), "tab\tand\nnewline");
}

TEST(XlsxText, ControlCharactersEscaped) {
  EXPECT_EQ(Prepare(std::string("a\0b", 3)), "a_x0000_b");
  EXPECT_EQ(Prepare("\x01\x1F"), "_x0001__x001F_");
  EXPECT_EQ(Prepare("line\r\n"), "line_x000D_\n");
  EXPECT_EQ(Prepare("\xEF\xBF\xBE\xEF\xBF\xBF"), "_xFFFE__xFFFF_");
}

TEST(XlsxText, EscapeLiteralProtected) {
  EXPECT_EQ(Prepare("_x0041_"), "_x005F_x0041_");
  EXPECT_EQ(Prepare("a_xabcd_b"), "a_x005F_xabcd_b");
  EXPECT_EQ(Prepare("_x005F_"), "_x005F_x005F_");
  EXPECT_EQ(Prepare("_x004_"), "_x004_");
  EXPECT_EQ(Prepare("_xGGGG_"), "_xGGGG_");
}

TEST(XlsxText, InvalidUtf8Replaced) {
  XlsxTextResult result;
  EXPECT_EQ(Prepare("a\xFF" "b", kExcelMaxTextUnits, &result), "a\xEF\xBF\xBD" "b");
  EXPECT_TRUE(result.replaced_invalid);
  EXPECT_EQ(Prepare("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a UTF-8 surrogate
  EXPECT_EQ(Prepare("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
}

TEST(XlsxText, TruncatedAtUnitLimit) {
  XlsxTextResult result;
  EXPECT_EQ(Prepare("abcdef", 4, &result), "abcd");
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(Prepare("abcd", 4, &result), "abcd");
  EXPECT_FALSE(result.truncated);
}

TEST(XlsxText, TruncationKeepsSurrogatePairsWhole) {
  // U+1F600 is two UTF-16 units: with a limit of 2 after "a" it does not fit.
  XlsxTextResult result;
  EXPECT_EQ(Prepare("a\xF0\x9F\x98\x80", 2, &result), "a");
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(Prepare("a\xF0\x9F\x98\x80", 3, &result), "a\xF0\x9F\x98\x80");
  EXPECT_FALSE(result.truncated);
}

TEST(XlsxText, LimitCountsValueNotEscapes) {
  EXPECT_EQ(Prepare("\x01\x02", 2), "_x0001__x0002_");
}

TEST(XlsxText, ExcelLimitOnLongText) {
  std::string long_text(40000, 'x');
  XlsxTextResult result;
  EXPECT_EQ(Prepare(long_text, kExcelMaxTextUnits, &result).size(), 32767u);
  EXPECT_TRUE(result.truncated);
}

TEST(XlsxText, EscapedFormStaysWithinLibraryLimit) {
  std::string controls(10000, '\x01');
  XlsxTextResult result;
  std::string out = Prepare(controls, kExcelMaxTextUnits, &result);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(out.size(), (32767u / 7) * 7);
}

}  // namespace
}  // namespace sluice
