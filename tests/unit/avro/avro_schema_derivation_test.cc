#include "formats/avro/avro_schema_derivation.h"

#include <gtest/gtest.h>

#include "formats/avro/avro_names.h"
#include "sluice/error.h"

namespace sluice {
namespace {

using Json = nlohmann::ordered_json;

Json Derive(const Schema& schema, const AvroWriteOptions& options = {}) {
  std::vector<std::string> names;
  for (const Field& field : schema) names.push_back(field.name);
  return DeriveAvroSchema(schema, SanitizeAvroNames(names), options);
}

TEST(AvroSchemaDerivation, EveryType) {
  Schema schema = {
      {"b", {TypeId::kBoolean}, false},   {"i", {TypeId::kInt64}, false},
      {"f", {TypeId::kFloat64}, false},   {"d", DataType::Decimal(18, 2), false},
      {"s", {TypeId::kString}, false},    {"bin", {TypeId::kBinary}, false},
      {"day", {TypeId::kDate}, false},    {"ts", {TypeId::kTimestamp}, false},
      {"tz", {TypeId::kTimestampTz}, false},
  };
  std::string expected =
      R"({"type":"record","name":"Row","fields":[)"
      R"({"name":"b","type":"boolean"},{"name":"i","type":"long"},{"name":"f","type":"double"},)"
      R"({"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":18,"scale":2}},)"
      R"({"name":"s","type":"string"},{"name":"bin","type":"bytes"},)"
      R"({"name":"day","type":{"type":"int","logicalType":"date"}},)"
      R"({"name":"ts","type":{"type":"long","logicalType":"local-timestamp-micros"}},)"
      R"({"name":"tz","type":{"type":"long","logicalType":"timestamp-micros"}}]})";
  EXPECT_EQ(Derive(schema).dump(), expected);
}

TEST(AvroSchemaDerivation, NullableColumnIsUnionWithDefault) {
  Json schema = Derive({{"x", {TypeId::kInt64}, true}});
  EXPECT_EQ(schema["fields"][0].dump(), R"({"name":"x","type":["null","long"],"default":null})");
}

TEST(AvroSchemaDerivation, RenamedColumnKeepsOriginalName) {
  Json schema = Derive({{"unit price", {TypeId::kFloat64}, false}});
  EXPECT_EQ(schema["fields"][0].dump(),
            R"({"name":"unit_price","type":"double","sluice.originalName":"unit price"})");
}

TEST(AvroSchemaDerivation, RecordNameAndNamespace) {
  AvroWriteOptions options;
  options.record_name = "Sale";
  options.record_namespace = "com.example";
  Json schema = Derive({}, options);
  EXPECT_EQ(schema.dump(), R"({"type":"record","name":"Sale","namespace":"com.example","fields":[]})");
}

TEST(AvroSchemaDerivation, InvalidRecordNameRejected) {
  AvroWriteOptions options;
  options.record_name = "my row";
  EXPECT_THROW(Derive({}, options), Error);
  options.record_name = "Row";
  options.record_namespace = "com..x";
  EXPECT_THROW(Derive({}, options), Error);
}

}  // namespace
}  // namespace sluice
