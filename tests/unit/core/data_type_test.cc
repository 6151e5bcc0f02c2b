#include "core/data_type.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sluice {
namespace {

TEST(TypeName, RoundTripsEveryType) {
  for (const char* name : {"boolean", "int64", "float64", "decimal(18,2)", "string", "binary", "date",
                           "timestamp", "timestamptz"}) {
    EXPECT_EQ(TypeName(ParseTypeName(name)), name);
  }
}

TEST(ParseTypeName, Aliases) {
  EXPECT_EQ(ParseTypeName("BIGINT").id, TypeId::kInt64);
  EXPECT_EQ(ParseTypeName("double").id, TypeId::kFloat64);
  EXPECT_EQ(ParseTypeName("text").id, TypeId::kString);
  EXPECT_EQ(ParseTypeName("Decimal(38, 10)"), DataType::Decimal(38, 10));
}

TEST(ParseTypeName, RejectsUnknownAndBadDecimals) {
  EXPECT_THROW(ParseTypeName("uuid"), Error);
  EXPECT_THROW(ParseTypeName("decimal(39,0)"), Error);
  EXPECT_THROW(ParseTypeName("decimal(5,6)"), Error);
  EXPECT_THROW(ParseTypeName("decimal(x)"), Error);
}

TEST(ParseSchemaSpec, NamesAndTypes) {
  Schema schema = ParseSchemaSpec("id:int64, price:decimal(10,2),\"a:b,c\":string");
  ASSERT_EQ(schema.size(), 3u);
  EXPECT_EQ(schema[0].name, "id");
  EXPECT_EQ(schema[1].type, DataType::Decimal(10, 2));
  EXPECT_EQ(schema[2].name, "a:b,c");
  EXPECT_EQ(schema[2].type.id, TypeId::kString);
}

TEST(ParseSchemaSpec, RejectsMissingType) {
  EXPECT_THROW(ParseSchemaSpec("id"), Error);
  EXPECT_THROW(ParseSchemaSpec(""), Error);
}

}  // namespace
}  // namespace sluice
