#include "formats/avro/avro_names.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(AvroNames, ValidNames) {
  EXPECT_TRUE(IsValidAvroName("a"));
  EXPECT_TRUE(IsValidAvroName("_x9"));
  EXPECT_TRUE(IsValidAvroName("Row_2"));
  EXPECT_FALSE(IsValidAvroName(""));
  EXPECT_FALSE(IsValidAvroName("9a"));
  EXPECT_FALSE(IsValidAvroName("a b"));
  EXPECT_FALSE(IsValidAvroName("a-b"));
  EXPECT_FALSE(IsValidAvroName("pr\xE2\x82\xAC"));
}

TEST(AvroNames, Namespaces) {
  EXPECT_TRUE(IsValidAvroNamespace(""));
  EXPECT_TRUE(IsValidAvroNamespace("com.example"));
  EXPECT_FALSE(IsValidAvroNamespace("com..example"));
  EXPECT_FALSE(IsValidAvroNamespace(".com"));
  EXPECT_FALSE(IsValidAvroNamespace("com.1x"));
}

TEST(AvroNames, ValidNamesKept) {
  std::vector<std::string> names = {"id", "Name", "_x"};
  EXPECT_EQ(SanitizeAvroNames(names), names);
}

TEST(AvroNames, InvalidCharactersReplaced) {
  EXPECT_EQ(SanitizeAvroNames({"first name", "a-b", "x.y"}),
            (std::vector<std::string>{"first_name", "a_b", "x_y"}));
}

TEST(AvroNames, MultibyteCharacterIsOneUnderscore) {
  EXPECT_EQ(SanitizeAvroNames({"price\xE2\x82\xAC", "\xF0\x9F\x98\x80"}),
            (std::vector<std::string>{"price_", "_"}));
}

TEST(AvroNames, LeadingDigitPrefixed) {
  EXPECT_EQ(SanitizeAvroNames({"1st", "2 nd"}), (std::vector<std::string>{"_1st", "_2_nd"}));
}

TEST(AvroNames, EmptyNameBecomesUnderscore) {
  EXPECT_EQ(SanitizeAvroNames({""}), (std::vector<std::string>{"_"}));
}

TEST(AvroNames, CollisionsGetSuffixes) {
  EXPECT_EQ(SanitizeAvroNames({"a b", "a_b", "1x", "\xE2\x82\xAC"}),
            (std::vector<std::string>{"a_b_2", "a_b", "_1x", "_"}));
  EXPECT_EQ(SanitizeAvroNames({"a-b", "a b", "a.b"}), (std::vector<std::string>{"a_b", "a_b_2", "a_b_3"}));
}

TEST(AvroNames, DuplicateValidNames) {
  EXPECT_EQ(SanitizeAvroNames({"x", "x", "x_2"}), (std::vector<std::string>{"x", "x_3", "x_2"}));
}

TEST(AvroNames, Deterministic) {
  std::vector<std::string> names = {"a b", "a-b", "9", "_9", "\xC3\xA9t\xC3\xA9"};
  EXPECT_EQ(SanitizeAvroNames(names), SanitizeAvroNames(names));
  EXPECT_EQ(SanitizeAvroNames(names), (std::vector<std::string>{"a_b", "a_b_2", "_9_2", "_9", "_t_"}));
}

}  // namespace
}  // namespace sluice
