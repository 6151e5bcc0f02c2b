#include "formats/avro/avro_resolution.h"

#include <gtest/gtest.h>

#include "sluice/error.h"

namespace sluice {
namespace {

using Json = nlohmann::ordered_json;

AvroSchema Record(const std::string& fields_json) {
  return AvroSchema::Parse(Json::parse(R"({"type":"record","name":"R","fields":[)" + fields_json + "]}"),
                           "test.avsc");
}

std::vector<AvroFieldPlan> Resolve(const Schema& data, const std::string& fields_json) {
  std::vector<std::string> names;
  for (const Field& field : data) names.push_back(field.name);
  return ResolveAvroFields(data, names, Record(fields_json), "test.avsc");
}

std::string ErrorOf(const Schema& data, const std::string& fields_json) {
  try {
    Resolve(data, fields_json);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

TEST(AvroResolution, ExactTypes) {
  auto plans = Resolve({{"a", {TypeId::kInt64}, false}, {"b", {TypeId::kString}, false}},
                       R"({"name":"b","type":"string"},{"name":"a","type":"long"})");
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].column, 1);
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kBytes);
  EXPECT_EQ(plans[1].column, 0);
  EXPECT_EQ(plans[1].encoding, AvroEncoding::kLong);
  EXPECT_FALSE(plans[0].in_union);
}

TEST(AvroResolution, LongPromotesToFloatAndDouble) {
  auto plans = Resolve({{"a", {TypeId::kInt64}}, {"b", {TypeId::kInt64}}},
                       R"({"name":"a","type":"float"},{"name":"b","type":"double"})");
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kLongAsFloat);
  EXPECT_EQ(plans[1].encoding, AvroEncoding::kLongAsDouble);
}

TEST(AvroResolution, LongDoesNotNarrowToInt) {
  std::string message = ErrorOf({{"a", {TypeId::kInt64}}}, R"({"name":"a","type":"int"})");
  EXPECT_NE(message.find("field 'a'"), std::string::npos) << message;
  EXPECT_NE(message.find("int64"), std::string::npos) << message;
  EXPECT_NE(message.find("type int "), std::string::npos) << message;
}

TEST(AvroResolution, DoubleDoesNotNarrowToFloat) {
  EXPECT_THROW(Resolve({{"a", {TypeId::kFloat64}}}, R"({"name":"a","type":"float"})"), Error);
}

TEST(AvroResolution, StringAndBytesInterchange) {
  auto plans = Resolve({{"s", {TypeId::kString}}, {"b", {TypeId::kBinary}}},
                       R"({"name":"s","type":"bytes"},{"name":"b","type":"string"})");
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kBytes);
  EXPECT_EQ(plans[1].encoding, AvroEncoding::kBytes);
}

TEST(AvroResolution, NullableUnionBranches) {
  auto plans = Resolve({{"a", {TypeId::kInt64}, true}}, R"({"name":"a","type":["string","null","long"]})");
  EXPECT_TRUE(plans[0].in_union);
  EXPECT_EQ(plans[0].null_branch, 1);
  EXPECT_EQ(plans[0].value_branch, 2);
}

TEST(AvroResolution, UnionWithoutNullAcceptedUntilANullArrives) {
  auto plans = Resolve({{"a", {TypeId::kInt64}, true}}, R"({"name":"a","type":"long"})");
  EXPECT_EQ(plans[0].null_branch, -1);
  EXPECT_FALSE(plans[0].in_union);
}

TEST(AvroResolution, MissingFieldUsesDefault) {
  auto plans = Resolve({{"a", {TypeId::kInt64}}},
                       R"({"name":"a","type":"long"},{"name":"extra","type":"int","default":-2})");
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[1].column, -1);
  EXPECT_EQ(plans[1].default_bytes, std::string("\x03", 1));
}

TEST(AvroResolution, MissingFieldWithoutDefaultRejected) {
  std::string message = ErrorOf({{"a", {TypeId::kInt64}}}, R"({"name":"a","type":"long"},{"name":"b","type":"int"})");
  EXPECT_NE(message.find("field 'b'"), std::string::npos) << message;
  EXPECT_NE(message.find("no default"), std::string::npos) << message;
}

TEST(AvroResolution, ColumnsWithoutFieldAreDropped) {
  auto plans = Resolve({{"a", {TypeId::kInt64}}, {"b", {TypeId::kString}}}, R"({"name":"b","type":"string"})");
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].column, 1);
}

TEST(AvroResolution, AliasAndSanitizedNameMatch) {
  Schema data = {{"unit price", {TypeId::kFloat64}}, {"qty", {TypeId::kInt64}}};
  auto plans = ResolveAvroFields(data, {"unit_price", "qty"},
                                 Record(R"({"name":"unit_price","type":"double"},)"
                                        R"({"name":"quantity","aliases":["qty"],"type":"long"})"),
                                 "test.avsc");
  EXPECT_EQ(plans[0].column, 0);
  EXPECT_EQ(plans[1].column, 1);
}

TEST(AvroResolution, DecimalNeedsSameScaleAndEnoughPrecision) {
  Schema data = {{"d", DataType::Decimal(10, 2)}};
  auto plans = Resolve(data, R"({"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}})");
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kDecimalBytes);
  EXPECT_THROW(Resolve(data, R"({"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":3}})"),
               Error);
  EXPECT_THROW(Resolve(data, R"({"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}})"),
               Error);
}

TEST(AvroResolution, DecimalIntoFixed) {
  Schema data = {{"d", DataType::Decimal(18, 4)}};
  auto plans = Resolve(
      data, R"({"name":"d","type":{"type":"fixed","name":"D","size":8,"logicalType":"decimal","precision":18,"scale":4}})");
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kDecimalFixed);
  EXPECT_EQ(plans[0].fixed_size, 8u);
  // 7 bytes hold at most 16 digits.
  EXPECT_THROW(
      Resolve(data, R"({"name":"d","type":{"type":"fixed","name":"D","size":7,"logicalType":"decimal","precision":18,"scale":4}})"),
      Error);
}

TEST(AvroResolution, TemporalLogicalTypes) {
  Schema data = {{"day", {TypeId::kDate}}, {"ts", {TypeId::kTimestamp}}, {"tz", {TypeId::kTimestampTz}}};
  auto plans = Resolve(data, R"({"name":"day","type":{"type":"int","logicalType":"date"}},)"
                             R"({"name":"ts","type":{"type":"long","logicalType":"local-timestamp-millis"}},)"
                             R"({"name":"tz","type":{"type":"long","logicalType":"timestamp-micros"}})");
  EXPECT_EQ(plans[0].encoding, AvroEncoding::kDateAsInt);
  EXPECT_EQ(plans[1].encoding, AvroEncoding::kMicrosAsMillis);
  EXPECT_EQ(plans[2].encoding, AvroEncoding::kLong);
}

TEST(AvroResolution, LocalTimestampIsNotAnInstant) {
  std::string message = ErrorOf({{"ts", {TypeId::kTimestamp}}},
                                R"({"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}})");
  EXPECT_NE(message.find("timestamp-micros"), std::string::npos) << message;
  EXPECT_NE(message.find("type timestamp "), std::string::npos) << message;
}

TEST(AvroResolution, SchemaMustBeRecord) {
  EXPECT_THROW(ResolveAvroFields({}, {}, AvroSchema::Parse(Json("long"), "x"), "x"), Error);
}

TEST(AvroResolution, InvalidSchemasRejected) {
  EXPECT_THROW(AvroSchema::Parse(Json::parse(R"({"type":"record","name":"R"})"), "x"), Error);
  EXPECT_THROW(AvroSchema::Parse(Json::parse(R"({"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]})"), "x"),
               Error);
  EXPECT_THROW(AvroSchema::Parse(Json::parse(R"(["null","null"])"), "x"), Error);
}

TEST(AvroResolution, RecursiveNamedTypeParses) {
  AvroSchema schema = AvroSchema::Parse(
      Json::parse(R"({"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]})"),
      "x");
  const AvroNode& root = schema.root();
  EXPECT_EQ(root.fields[0].type->branches[1], &root);
}

}  // namespace
}  // namespace sluice
