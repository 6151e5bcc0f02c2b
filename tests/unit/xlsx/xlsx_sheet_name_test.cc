#include "formats/xlsx/xlsx_sheet_name.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(XlsxSheetName, ForbiddenCharactersReplaced) {
  EXPECT_EQ(SanitizeSheetName("a[b]c:d*e?f/g\\h"), "a_b_c_d_e_f_g_h");
}

TEST(XlsxSheetName, ApostrophesAtEndsRemoved) {
  EXPECT_EQ(SanitizeSheetName("'sales'"), "sales");
  EXPECT_EQ(SanitizeSheetName("it's"), "it's");
}

TEST(XlsxSheetName, CutTo31Units) {
  EXPECT_EQ(SanitizeSheetName(std::string(40, 'a')), std::string(31, 'a'));
  // 30 ASCII characters then U+1F600 (two units) does not fit.
  EXPECT_EQ(SanitizeSheetName(std::string(30, 'a') + "\xF0\x9F\x98\x80"), std::string(30, 'a'));
}

TEST(XlsxSheetName, ReservedAndEmptyNames) {
  EXPECT_EQ(SanitizeSheetName("History"), "History_");
  EXPECT_EQ(SanitizeSheetName(""), "Sheet1");
  EXPECT_EQ(SanitizeSheetName("''"), "Sheet1");
}

TEST(XlsxSheetName, ContinuationNames) {
  EXPECT_EQ(SheetNameFor("", 1), "Sheet1");
  EXPECT_EQ(SheetNameFor("", 3), "Sheet3");
  EXPECT_EQ(SheetNameFor("Sales", 1), "Sales");
  EXPECT_EQ(SheetNameFor("Sales", 2), "Sales (2)");
  EXPECT_EQ(SheetNameFor(std::string(31, 'b'), 12), std::string(26, 'b') + " (12)");
}

}  // namespace
}  // namespace sluice
