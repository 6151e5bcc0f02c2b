#include "sources/utf8_validation.h"

#include <gtest/gtest.h>

#include <string>

namespace sluice {
namespace {

TEST(Utf8Validation, ValidText) {
  for (std::string text : {"", "plain ascii text longer than eight", "caf\xC3\xA9",
                           "\xE2\x82\xAC euro", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",
                           "\xED\x9F\xBF", "\xEF\xBF\xBF"}) {
    EXPECT_EQ(FindInvalidUtf8(text), text.size()) << text;
  }
}

TEST(Utf8Validation, InvalidText) {
  struct Case {
    std::string text;
    size_t offset;
  };
  for (const Case& c : std::vector<Case>{
           {"abc\x80", 3},                  // lone continuation byte
           {"\xC0\xAF", 0},                 // overlong '/'
           {"\xE0\x80\xAF", 0},             // overlong three-byte form
           {"\xED\xA0\x80", 0},             // surrogate U+D800
           {"\xF4\x90\x80\x80", 0},         // above U+10FFFF
           {"\xF5\x80\x80\x80", 0},
           {"0123456789\xC3", 10},          // cut off at the end
           {"\xE2\x82x", 0},                // continuation missing
       }) {
    EXPECT_EQ(FindInvalidUtf8(c.text), c.offset) << c.text;
  }
}

TEST(Utf8Validation, SequenceLength) {
  std::string text = "\xE2\x82\xAC";
  EXPECT_EQ(Utf8SequenceLength(text.data(), text.data() + 3), 3);
  EXPECT_EQ(Utf8SequenceLength(text.data(), text.data() + 2), -1);
  EXPECT_EQ(Utf8SequenceLength(text.data() + 1, text.data() + 3), 0);
}

}  // namespace
}  // namespace sluice
