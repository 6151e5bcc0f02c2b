#include "formats/parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/parquet/parquet_metadata.h"

namespace sluice::parquet {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

TEST(ThriftCompact, FieldHeadersAndValues) {
  std::string out;
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_i32(1, 5);        // delta 1, type i32: 0x15; zigzag(5) = 10
  writer.field_i64(20, -1);      // delta 19 > 15: type byte 0x06, zigzag id 40, zigzag(-1) = 1
  writer.field_bool(21, true);   // delta 1, type true: 0x11
  writer.field_binary(22, "ab"); // 0x18, length 2, bytes
  writer.end_struct();
  EXPECT_EQ(Hex(out), "150a0628011118026162" "00");
}

TEST(ThriftCompact, ListsAndNestedStructs) {
  std::string out;
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_list(2, ThriftType::kI32, 3);  // 0x29, then size 3 << 4 | i32 = 0x35
  writer.i32(0);
  writer.i32(-1);
  writer.i32(300);                            // zigzag 600 = 0xd8 0x04
  writer.field_struct(3);                      // 0x1c; the nested struct restarts ids at 0
  writer.field_i32(1, 1);                      // 0x15 0x02
  writer.end_struct();
  writer.field_i32(4, 0);                      // delta from 3: 0x15 0x00
  writer.end_struct();
  EXPECT_EQ(Hex(out), "293500" "01" "d804" "1c" "1502" "00" "1500" "00");

  std::string long_list;
  ThriftWriter list_writer(long_list);
  list_writer.begin_struct();
  list_writer.field_list(1, ThriftType::kBinary, 20);  // 0x19, 0xf8, varint 20
  EXPECT_EQ(Hex(long_list), "19f814");
}

TEST(ThriftCompact, ReaderSkipsUnknownFields) {
  std::string out;
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_i32(1, 7);
  writer.field_list(2, ThriftType::kBinary, 2);
  writer.binary("x");
  writer.binary("yz");
  writer.field_struct(3);
  writer.field_bool(1, false);
  writer.field_i64(2, 1LL << 40);
  writer.end_struct();
  writer.field_i64(9, -123456789);
  writer.end_struct();

  ThriftReader reader(out);
  int32_t first = 0;
  int64_t last = 0;
  reader.read_struct([&](int16_t id, ThriftType type) {
    if (id == 1) first = reader.read_i32();
    else if (id == 9) last = reader.read_i64();
    else reader.skip(type);
  });
  EXPECT_EQ(first, 7);
  EXPECT_EQ(last, -123456789);
  EXPECT_EQ(reader.position(), out.size());
}

TEST(ThriftCompact, TruncatedInputThrows) {
  std::string out;
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_binary(1, "hello world");
  writer.end_struct();
  for (size_t cut = 0; cut < out.size(); ++cut) {
    ThriftReader reader(std::string_view(out).substr(0, cut));
    EXPECT_THROW(reader.read_struct([&](int16_t, ThriftType type) { reader.skip(type); }), Error) << cut;
  }
}

TEST(ThriftCompact, DeepNestingThrows) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep.push_back(0x1c);  // field 1 (delta), struct, again and again
  ThriftReader reader(deep);
  EXPECT_THROW(reader.read_struct([&](int16_t, ThriftType type) { reader.skip(type); }), Error);
}

TEST(ParquetMetadata, FileMetaDataRoundTrip) {
  FileMetaData metadata;
  metadata.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.name = "price";
  leaf.type = PhysicalType::kFixedLenByteArray;
  leaf.type_length = 9;
  leaf.repetition = Repetition::kOptional;
  leaf.converted_type = ConvertedType::kDecimal;
  leaf.precision = 20;
  leaf.scale = 3;
  leaf.logical_type.kind = LogicalType::Kind::kDecimal;
  leaf.logical_type.precision = 20;
  leaf.logical_type.scale = 3;
  metadata.schema = {root, leaf};
  RowGroup group;
  ColumnChunk chunk;
  chunk.file_offset = 4;
  chunk.meta_data.type = PhysicalType::kFixedLenByteArray;
  chunk.meta_data.encodings = {Encoding::kPlain, Encoding::kRle};
  chunk.meta_data.path_in_schema = {"price"};
  chunk.meta_data.codec = Codec::kZstd;
  chunk.meta_data.num_values = 10;
  chunk.meta_data.data_page_offset = 4;
  chunk.meta_data.total_compressed_size = 100;
  chunk.meta_data.statistics = Statistics{3, std::string("\x01", 1), std::string("\x7f", 1), true, false};
  group.columns = {chunk};
  group.num_rows = 10;
  group.ordinal = 0;
  metadata.row_groups = {group};
  metadata.num_rows = 10;
  metadata.created_by = "test";

  std::string bytes;
  EncodeFileMetaData(metadata, bytes);
  FileMetaData decoded = DecodeFileMetaData(bytes);
  EXPECT_EQ(decoded.version, 2);
  ASSERT_EQ(decoded.schema.size(), 2u);
  EXPECT_EQ(decoded.schema[1].name, "price");
  EXPECT_EQ(decoded.schema[1].type_length, 9);
  EXPECT_EQ(decoded.schema[1].logical_type.kind, LogicalType::Kind::kDecimal);
  EXPECT_EQ(decoded.schema[1].logical_type.precision, 20);
  EXPECT_EQ(decoded.schema[1].logical_type.scale, 3);
  ASSERT_EQ(decoded.row_groups.size(), 1u);
  const ColumnMetaData& meta = decoded.row_groups[0].columns[0].meta_data;
  EXPECT_EQ(meta.codec, Codec::kZstd);
  EXPECT_EQ(meta.encodings.size(), 2u);
  EXPECT_EQ(meta.path_in_schema[0], "price");
  EXPECT_EQ(*meta.statistics->null_count, 3);
  EXPECT_EQ(*meta.statistics->max_value, "\x7f");
  EXPECT_TRUE(meta.statistics->min_exact);
  EXPECT_FALSE(meta.statistics->max_exact);
  EXPECT_EQ(decoded.created_by, "test");
  EXPECT_EQ(*decoded.row_groups[0].ordinal, 0);
}

TEST(ParquetMetadata, PageHeaderRoundTrip) {
  PageHeader header;
  header.type = PageType::kDataPageV2;
  header.uncompressed_page_size = 1000;
  header.compressed_page_size = 600;
  header.data_page_v2 = DataPageHeaderV2{10, 2, 10, Encoding::kDeltaBinaryPacked, 3, 0, false};
  std::string bytes;
  EncodePageHeader(header, bytes);
  bytes += "trailing page data";
  size_t size = 0;
  PageHeader decoded = DecodePageHeader(bytes, size);
  EXPECT_EQ(size, bytes.size() - 18);
  EXPECT_EQ(decoded.type, PageType::kDataPageV2);
  EXPECT_EQ(decoded.compressed_page_size, 600);
  ASSERT_TRUE(decoded.data_page_v2.has_value());
  EXPECT_EQ(decoded.data_page_v2->num_nulls, 2);
  EXPECT_EQ(decoded.data_page_v2->encoding, Encoding::kDeltaBinaryPacked);
  EXPECT_FALSE(decoded.data_page_v2->is_compressed);
}

}  // namespace
}  // namespace sluice::parquet
