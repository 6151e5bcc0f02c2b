#include "formats/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/temporal.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

std::string WriteJson(bool array, bool pretty, const Schema& schema,
                      const std::vector<Batch>& batches) {
  StringSink sink;
  JsonWriteOptions options;
  options.pretty = pretty;
  JsonWriter writer(array, options);
  writer.begin(schema, sink);
  for (const Batch& batch : batches) writer.write_batch(batch);
  writer.finish();
  return sink.bytes();
}

Schema SmallSchema() {
  return Schema{Field{"id", DataType{TypeId::kInt64}}, Field{"name", DataType{TypeId::kString}}};
}

Batch SmallBatch() {
  Batch batch(SmallSchema());
  batch.column(0).append_int64(1);
  batch.column(1).append_bytes("a");
  batch.column(0).append_int64(2);
  batch.column(1).append_null();
  return batch;
}

TEST(JsonWriter, NdjsonRows) {
  EXPECT_EQ(WriteJson(false, false, SmallSchema(), {SmallBatch()}),
            "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":null}\n");
}

TEST(JsonWriter, NdjsonIgnoresPretty) {
  EXPECT_EQ(WriteJson(false, true, SmallSchema(), {SmallBatch()}),
            "{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":null}\n");
}

TEST(JsonWriter, NdjsonEmpty) { EXPECT_EQ(WriteJson(false, false, SmallSchema(), {}), ""); }

TEST(JsonWriter, ArrayCompact) {
  EXPECT_EQ(WriteJson(true, false, SmallSchema(), {SmallBatch(), SmallBatch()}),
            "[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":null},"
            "{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":null}]\n");
}

TEST(JsonWriter, ArrayPretty) {
  EXPECT_EQ(WriteJson(true, true, SmallSchema(), {SmallBatch()}),
            "[\n  {\"id\": 1, \"name\": \"a\"},\n  {\"id\": 2, \"name\": null}\n]\n");
}

TEST(JsonWriter, ArrayEmpty) {
  EXPECT_EQ(WriteJson(true, false, SmallSchema(), {}), "[]\n");
  EXPECT_EQ(WriteJson(true, true, SmallSchema(), {}), "[]\n");
  EXPECT_EQ(WriteJson(true, false, SmallSchema(), {Batch(SmallSchema())}), "[]\n");
}

TEST(JsonWriter, KeysAreEscaped) {
  Schema schema{Field{"a\"b", DataType{TypeId::kBoolean}},
                Field{"\xC3\xA9\n", DataType{TypeId::kBoolean}}};
  Batch batch(schema);
  batch.column(0).append_bool(true);
  batch.column(1).append_bool(false);
  EXPECT_EQ(WriteJson(false, false, schema, {batch}),
            "{\"a\\\"b\":true,\"\xC3\xA9\\n\":false}\n");
}

TEST(JsonWriter, ExactNumbers) {
  Schema schema{Field{"i", DataType{TypeId::kInt64}}, Field{"d", DataType::Decimal(10, 2)},
                Field{"w", DataType::Decimal(38, 0)}};
  Batch batch(schema);
  Int128 wide = static_cast<Int128>(1000000000000000000LL) * 1000000000000000000LL * 10;
  batch.column(0).append_int64(std::numeric_limits<int64_t>::min());
  batch.column(1).append_decimal(110);
  batch.column(2).append_decimal(wide);
  batch.column(0).append_int64(std::numeric_limits<int64_t>::max());
  batch.column(1).append_decimal(-5);
  batch.column(2).append_decimal(-wide);
  EXPECT_EQ(WriteJson(false, false, schema, {batch}),
            "{\"i\":-9223372036854775808,\"d\":1.10,"
            "\"w\":10000000000000000000000000000000000000}\n"
            "{\"i\":9223372036854775807,\"d\":-0.05,"
            "\"w\":-10000000000000000000000000000000000000}\n");
}

TEST(JsonWriter, Doubles) {
  Schema schema{Field{"x", DataType{TypeId::kFloat64}}};
  Batch batch(schema);
  for (double value : {0.1, 1e300, 1e20, 5e-324, -0.0, std::nan(""),
                       std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
    batch.column(0).append_double(value);
  }
  EXPECT_EQ(WriteJson(false, false, schema, {batch}),
            "{\"x\":0.1}\n{\"x\":1e+300}\n{\"x\":1e+20}\n{\"x\":5e-324}\n{\"x\":-0}\n"
            "{\"x\":\"NaN\"}\n{\"x\":\"Infinity\"}\n{\"x\":\"-Infinity\"}\n");
}

TEST(JsonWriter, TemporalAndBinary) {
  Schema schema{Field{"d", DataType{TypeId::kDate}}, Field{"t", DataType{TypeId::kTimestamp}},
                Field{"tz", DataType{TypeId::kTimestampTz}}, Field{"b", DataType{TypeId::kBinary}}};
  Batch batch(schema);
  batch.column(0).append_int64(DaysFromCivil(1900, 1, 1));
  batch.column(1).append_int64(-500000);
  batch.column(2).append_int64(DaysFromCivil(2024, 2, 29) * kMicrosPerDay + 1);
  batch.column(3).append_bytes("foobar");
  EXPECT_EQ(WriteJson(false, false, schema, {batch}),
            "{\"d\":\"1900-01-01\",\"t\":\"1969-12-31T23:59:59.5\","
            "\"tz\":\"2024-02-29T00:00:00.000001Z\",\"b\":\"Zm9vYmFy\"}\n");
}

TEST(JsonWriter, StringEscapes) {
  Schema schema{Field{"s", DataType{TypeId::kString}}};
  Batch batch(schema);
  batch.column(0).append_bytes("q\"b\\c\n\x01 \xE2\x9C\x93");
  batch.column(0).append_bytes("");
  EXPECT_EQ(WriteJson(false, false, schema, {batch}),
            "{\"s\":\"q\\\"b\\\\c\\n\\u0001 \xE2\x9C\x93\"}\n{\"s\":\"\"}\n");
}

TEST(JsonWriter, InvalidUtf8CountsAltered) {
  Schema schema{Field{"s", DataType{TypeId::kString}}};
  Batch batch(schema);
  batch.column(0).append_bytes("ok");
  batch.column(0).append_bytes("bad\xFF");
  StringSink sink;
  JsonWriter writer(false, {});
  writer.begin(schema, sink);
  writer.write_batch(batch);
  writer.finish();
  EXPECT_EQ(sink.bytes(), "{\"s\":\"ok\"}\n{\"s\":\"bad\xEF\xBF\xBD\"}\n");
  EXPECT_EQ(writer.altered_values(), 1u);
}

// An independent parser (nlohmann::json) reads the array and gets the values back.
TEST(JsonWriter, ArrayParsesBack) {
  Schema schema{Field{"i", DataType{TypeId::kInt64}}, Field{"x", DataType{TypeId::kFloat64}},
                Field{"s", DataType{TypeId::kString}}, Field{"n", DataType{TypeId::kBoolean}}};
  Batch batch(schema);
  for (int i = 0; i < 100; ++i) {
    batch.column(0).append_int64(i * 1000003LL - 7);
    batch.column(1).append_double(i / 7.0);
    batch.column(2).append_bytes("row \"" + std::to_string(i) + "\"\t\xC3\xA9");
    if (i % 3 == 0) {
      batch.column(3).append_null();
    } else {
      batch.column(3).append_bool(i % 2 == 0);
    }
  }

  for (bool pretty : {false, true}) {
    nlohmann::json parsed = nlohmann::json::parse(WriteJson(true, pretty, schema, {batch}));
    ASSERT_TRUE(parsed.is_array());
    ASSERT_EQ(parsed.size(), 100u);
    for (int i = 0; i < 100; ++i) {
      const nlohmann::json& row = parsed[static_cast<size_t>(i)];
      EXPECT_EQ(row["i"].get<int64_t>(), i * 1000003LL - 7);
      EXPECT_EQ(row["x"].get<double>(), i / 7.0);
      EXPECT_EQ(row["s"].get<std::string>(), "row \"" + std::to_string(i) + "\"\t\xC3\xA9");
      if (i % 3 == 0) {
        EXPECT_TRUE(row["n"].is_null());
      } else {
        EXPECT_EQ(row["n"].get<bool>(), i % 2 == 0);
      }
    }
  }
}

}  // namespace
}  // namespace sluice
