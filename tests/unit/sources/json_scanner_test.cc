#include "sources/json_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice {
namespace {

struct Scanned {
  ScanStatus status;
  std::vector<JsonMember> members;
  size_t consumed = 0;
  ScanError error;
  size_t error_offset = 0;
};

Scanned Scan(const std::string& text) {
  Scanned result;
  const char* end = nullptr;
  result.status = ScanObject(text.data(), text.data() + text.size(), result.members, &end, &result.error);
  if (result.status == ScanStatus::kOk) result.consumed = static_cast<size_t>(end - text.data());
  if (result.status == ScanStatus::kError) result.error_offset = static_cast<size_t>(result.error.position - text.data());
  return result;
}

TEST(JsonScanner, ScansMembersInOrder) {
  std::string text = R"({"a": 1, "b":"x", "c" : true,"d":false,"e":null, "f":-2.5e3, "g":0.10} tail)";
  Scanned scanned = Scan(text);
  ASSERT_EQ(scanned.status, ScanStatus::kOk);
  EXPECT_EQ(text.substr(scanned.consumed), " tail");
  ASSERT_EQ(scanned.members.size(), 7u);
  EXPECT_EQ(scanned.members[0].key, "a");
  EXPECT_EQ(scanned.members[0].kind, JsonKind::kNumber);
  EXPECT_TRUE(scanned.members[0].integral);
  EXPECT_EQ(scanned.members[1].kind, JsonKind::kString);
  EXPECT_EQ(scanned.members[1].text, "x");
  EXPECT_EQ(scanned.members[2].kind, JsonKind::kTrue);
  EXPECT_EQ(scanned.members[3].kind, JsonKind::kFalse);
  EXPECT_EQ(scanned.members[4].kind, JsonKind::kNull);
  EXPECT_EQ(scanned.members[5].text, "-2.5e3");
  EXPECT_TRUE(scanned.members[5].exponent);
  EXPECT_FALSE(scanned.members[5].integral);
  EXPECT_EQ(scanned.members[6].text, "0.10");
  EXPECT_FALSE(scanned.members[6].exponent);
}

TEST(JsonScanner, EmptyObject) {
  std::string text = "{ }";
  Scanned scanned = Scan(text);
  ASSERT_EQ(scanned.status, ScanStatus::kOk);
  EXPECT_TRUE(scanned.members.empty());
  EXPECT_EQ(scanned.consumed, 3u);
}

TEST(JsonScanner, NestedValueKeepsRawText) {
  std::string text = R"({"n": {"x": [1, {"y": "]}"}], "z": {}}, "m": [ ]})";
  Scanned scanned = Scan(text);
  ASSERT_EQ(scanned.status, ScanStatus::kOk);
  ASSERT_EQ(scanned.members.size(), 2u);
  EXPECT_EQ(scanned.members[0].kind, JsonKind::kObject);
  EXPECT_EQ(scanned.members[0].text, R"({"x": [1, {"y": "]}"}], "z": {}})");
  EXPECT_EQ(scanned.members[1].kind, JsonKind::kArray);
  EXPECT_EQ(scanned.members[1].text, "[ ]");
}

TEST(JsonScanner, IncompleteAtEveryCut) {
  std::string text = R"({"a": [1, 2.5e-3, "s\"q\u00e9"], "b": -12, "c": null})";
  for (size_t cut = 1; cut < text.size(); ++cut) {
    Scanned scanned = Scan(text.substr(0, cut));
    EXPECT_EQ(scanned.status, ScanStatus::kIncomplete) << "cut at " << cut;
  }
  EXPECT_EQ(Scan(text).status, ScanStatus::kOk);
}

TEST(JsonScanner, ReportsErrorPosition) {
  struct Case {
    std::string text;
    size_t offset;
  };
  std::vector<Case> cases = {
      {R"({"a" 1})", 5},        {R"({"a": 01})", 7},     {R"({"a": tru })", 9},
      {R"({"a": 1,})", 8},      {R"({a: 1})", 1},        {R"({"a": "x\q"})", 9},
      {"{\"a\": \"x\ty\"}", 8}, {R"({"a": 1 "b": 2})", 8}, {R"({"a": [1,]})", 9},
      {R"({"a": -})", 7},       {R"({"a": 1.})", 8},     {R"({"a": 1e})", 8},
  };
  for (const Case& c : cases) {
    Scanned scanned = Scan(c.text);
    ASSERT_EQ(scanned.status, ScanStatus::kError) << c.text;
    EXPECT_EQ(scanned.error_offset, c.offset) << c.text << ": " << scanned.error.message;
  }
}

TEST(JsonScanner, RejectsInvalidUtf8) {
  Scanned scanned = Scan("{\"a\": \"x\xC3\x28\"}");
  ASSERT_EQ(scanned.status, ScanStatus::kError);
  EXPECT_EQ(scanned.error_offset, 8u);
  Scanned valid = Scan("{\"a\": \"\xE6\x9D\xB1\"}");
  EXPECT_EQ(valid.status, ScanStatus::kOk);
}

TEST(JsonScanner, RejectsDeepNesting) {
  std::string text = "{\"a\": " + std::string(600, '[') + std::string(600, ']') + "}";
  EXPECT_EQ(Scan(text).status, ScanStatus::kError);
  std::string fine = "{\"a\": " + std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_EQ(Scan(fine).status, ScanStatus::kOk);
}

TEST(JsonScanner, MarksEscapedStrings) {
  std::string text = R"({"k\"ey": "plain", "b": "a\nb"})";
  Scanned scanned = Scan(text);
  ASSERT_EQ(scanned.status, ScanStatus::kOk);
  EXPECT_TRUE(scanned.members[0].key_escaped);
  EXPECT_FALSE(scanned.members[0].escaped);
  EXPECT_TRUE(scanned.members[1].escaped);
}

std::string Decoded(std::string_view raw) {
  std::string out;
  AppendDecodedString(out, raw);
  return out;
}

TEST(JsonScanner, DecodesEscapes) {
  EXPECT_EQ(Decoded(R"(a\"b\\c\/d\b\f\n\r\t)"), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(Decoded(R"(\u0041\u00e9\u6771)"), "A\xC3\xA9\xE6\x9D\xB1");
  EXPECT_EQ(Decoded(R"(\ud83d\ude80)"), "\xF0\x9F\x9A\x80");
  EXPECT_EQ(Decoded(R"(\ud83d!)"), "\xEF\xBF\xBD!");
  EXPECT_EQ(Decoded(R"(\ude80)"), "\xEF\xBF\xBD");
  EXPECT_EQ(Decoded("plain"), "plain");
}

TEST(JsonScanner, CompactsNestedText) {
  std::string out;
  AppendCompactJson(out, "{ \"a b\" : [ 1 ,\n 2 ], \"c\": \"x \\\" y\" }");
  EXPECT_EQ(out, R"({"a b":[1,2],"c":"x \" y"})");
}

}  // namespace
}  // namespace sluice
