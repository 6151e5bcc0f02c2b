#include "sources/sqlite_type_mapping.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

std::string Mapped(std::string_view declared) {
  std::optional<DataType> type = TypeFromSqliteDeclaration(declared);
  return type ? TypeName(*type) : "sample";
}

TEST(SqliteTypeMapping, DeclaredTypes) {
  EXPECT_EQ(Mapped("INTEGER"), "int64");
  EXPECT_EQ(Mapped("bigint"), "int64");
  EXPECT_EQ(Mapped("UNSIGNED BIG INT"), "int64");
  EXPECT_EQ(Mapped("REAL"), "float64");
  EXPECT_EQ(Mapped("double precision"), "float64");
  EXPECT_EQ(Mapped("FLOAT"), "float64");
  EXPECT_EQ(Mapped("NUMERIC(10,2)"), "decimal(10,2)");
  EXPECT_EQ(Mapped("decimal ( 38 , 10 )"), "decimal(38,10)");
  EXPECT_EQ(Mapped("DECIMAL(5)"), "decimal(5,0)");
  EXPECT_EQ(Mapped("VARCHAR(255)"), "string");
  EXPECT_EQ(Mapped("NCHAR(5)"), "string");
  EXPECT_EQ(Mapped("TEXT"), "string");
  EXPECT_EQ(Mapped("CLOB"), "string");
  EXPECT_EQ(Mapped("BLOB"), "binary");
  EXPECT_EQ(Mapped("BOOLEAN"), "boolean");
  EXPECT_EQ(Mapped("bool"), "boolean");
  EXPECT_EQ(Mapped("DATE"), "date");
  EXPECT_EQ(Mapped("DATETIME"), "timestamp");
  EXPECT_EQ(Mapped("timestamp"), "timestamp");
  EXPECT_EQ(Mapped("TIMESTAMP WITH TIME ZONE"), "timestamptz");
  EXPECT_EQ(Mapped("TIMESTAMPTZ"), "timestamptz");
}

TEST(SqliteTypeMapping, UnusableDeclarationsNeedSample) {
  EXPECT_EQ(Mapped(""), "sample");
  EXPECT_EQ(Mapped("NUMERIC"), "sample");
  EXPECT_EQ(Mapped("DECIMAL(40,2)"), "sample");
  EXPECT_EQ(Mapped("DECIMAL(5,6)"), "sample");
  EXPECT_EQ(Mapped("JSON"), "sample");
  EXPECT_EQ(Mapped("UUID"), "sample");
}

TEST(SqliteTypeMapping, StorageClasses) {
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawInteger)), "int64");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawInteger | kSqliteSawFloat)), "float64");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawFloat)), "float64");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawBlob)), "binary");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawText)), "string");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(kSqliteSawText | kSqliteSawInteger)), "string");
  EXPECT_EQ(TypeName(TypeFromSqliteStorage(0)), "string");
}

}  // namespace
}  // namespace sluice
