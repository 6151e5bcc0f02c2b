#include "formats/formula_guard.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(FormulaGuard, FormulaStarts) {
  for (const char* text : {"=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=", "-"}) {
    EXPECT_TRUE(NeedsFormulaGuard(text)) << text;
  }
}

TEST(FormulaGuard, PlainText) {
  for (const char* text : {"", "a=1", "1+2", " =1", "'=1", "\n=1", "x-"}) {
    EXPECT_FALSE(NeedsFormulaGuard(text)) << text;
  }
}

TEST(FormulaGuard, PrefixIsApostrophe) { EXPECT_EQ(kFormulaGuardPrefix, '\''); }

}  // namespace
}  // namespace sluice
