#include "formats/avro/avro_encoding.h"

#include <gtest/gtest.h>

#include "formats/avro/avro_default_value.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using Json = nlohmann::ordered_json;

std::string Long(int64_t value) {
  std::string out;
  AppendAvroLong(out, value);
  return out;
}

std::string DecimalBytes(Int128 value) {
  std::string out;
  AppendAvroDecimalBytes(out, value);
  return out;
}

std::string Default(const std::string& type_json, const std::string& value_json) {
  AvroSchema schema = AvroSchema::Parse(Json::parse(type_json), "test");
  std::string out;
  AppendAvroDefault(out, schema.root(), Json::parse(value_json), "f");
  return out;
}

// Cases from the specification's zigzag table and the 64-bit extremes.
TEST(AvroEncoding, ZigzagLongs) {
  EXPECT_EQ(Long(0), std::string("\x00", 1));
  EXPECT_EQ(Long(-1), "\x01");
  EXPECT_EQ(Long(1), "\x02");
  EXPECT_EQ(Long(-2), "\x03");
  EXPECT_EQ(Long(2), "\x04");
  EXPECT_EQ(Long(-64), "\x7f");
  EXPECT_EQ(Long(64), "\x80\x01");
  EXPECT_EQ(Long(INT64_MAX), "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  EXPECT_EQ(Long(INT64_MIN), "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
}

TEST(AvroEncoding, DoubleIsLittleEndian) {
  std::string out;
  AppendAvroDouble(out, 1.0);
  EXPECT_EQ(out, std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
}

TEST(AvroEncoding, StringHasLengthPrefix) {
  std::string out;
  AppendAvroBytes(out, "foo");
  EXPECT_EQ(out, "\x06" "foo");
}

TEST(AvroEncoding, DecimalTwosComplementMinimal) {
  EXPECT_EQ(DecimalBytes(0), std::string("\x02\x00", 2));
  EXPECT_EQ(DecimalBytes(127), "\x02\x7f");
  EXPECT_EQ(DecimalBytes(128), std::string("\x04\x00\x80", 3));
  EXPECT_EQ(DecimalBytes(-1), "\x02\xff");
  EXPECT_EQ(DecimalBytes(-128), "\x02\x80");
  EXPECT_EQ(DecimalBytes(-129), "\x04\xff\x7f");
  EXPECT_EQ(DecimalBytes(123456), "\x06\x01\xe2\x40");
}

TEST(AvroEncoding, DecimalExtremes) {
  Int128 max = 1;
  for (int i = 0; i < 38; ++i) max *= 10;
  max -= 1;  // 38 nines needs 16 bytes
  std::string out = DecimalBytes(max);
  EXPECT_EQ(out.size(), 17u);
  EXPECT_EQ(out[0], '\x20');
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 0x4b);
  std::string negative = DecimalBytes(-max);
  EXPECT_EQ(negative.size(), 17u);
  EXPECT_EQ(static_cast<unsigned char>(negative[1]), 0xb4);
}

TEST(AvroEncoding, DecimalFixedSignExtends) {
  std::string out;
  AppendAvroDecimalFixed(out, -2, 4);
  EXPECT_EQ(out, "\xff\xff\xff\xfe");
  out.clear();
  AppendAvroDecimalFixed(out, 258, 3);
  EXPECT_EQ(out, std::string("\x00\x01\x02", 3));
}

TEST(AvroDefaultValue, Primitives) {
  EXPECT_EQ(Default(R"("null")", "null"), "");
  EXPECT_EQ(Default(R"("boolean")", "true"), "\x01");
  EXPECT_EQ(Default(R"("int")", "-1"), "\x01");
  EXPECT_EQ(Default(R"("long")", "64"), "\x80\x01");
  EXPECT_EQ(Default(R"("string")", R"("ab")"), "\x04" "ab");
  EXPECT_EQ(Default(R"("double")", "1"), std::string("\x00\x00\x00\x00\x00\x00\xf0\x3f", 8));
}

TEST(AvroDefaultValue, BytesAreCodePoints) {
  EXPECT_EQ(Default(R"("bytes")", R"("\u00ff\u0000a")"), std::string("\x06\xff\x00" "a", 4));
  EXPECT_EQ(Default(R"({"type":"fixed","name":"F","size":2})", R"("\u0001\u00fe")"), "\x01\xfe");
}

TEST(AvroDefaultValue, UnionUsesFirstBranch) {
  EXPECT_EQ(Default(R"(["null","long"])", "null"), std::string("\x00", 1));
  EXPECT_EQ(Default(R"(["long","null"])", "3"), std::string("\x00\x06", 2));
  EXPECT_THROW(Default(R"(["null","long"])", "3"), Error);
}

TEST(AvroDefaultValue, ComplexTypes) {
  EXPECT_EQ(Default(R"({"type":"enum","name":"E","symbols":["A","B"]})", R"("B")"), "\x02");
  EXPECT_EQ(Default(R"({"type":"array","items":"int"})", "[1,2]"), std::string("\x04\x02\x04\x00", 4));
  EXPECT_EQ(Default(R"({"type":"array","items":"int"})", "[]"), std::string("\x00", 1));
  EXPECT_EQ(Default(R"({"type":"map","values":"int"})", R"({"k":1})"), std::string("\x02\x02k\x02\x00", 5));
  EXPECT_EQ(Default(R"({"type":"record","name":"P","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":5}]})",
                    R"({"x":1})"),
            "\x02\x0a");
}

TEST(AvroDefaultValue, MismatchRejected) {
  EXPECT_THROW(Default(R"("int")", R"("x")"), Error);
  EXPECT_THROW(Default(R"("int")", "3000000000"), Error);
  EXPECT_THROW(Default(R"({"type":"enum","name":"E","symbols":["A"]})", R"("Z")"), Error);
  EXPECT_THROW(Default(R"({"type":"fixed","name":"F","size":2})", R"("a")"), Error);
}

}  // namespace
}  // namespace sluice
