// Encoding of the footer and page headers. Field ids are those of
// parquet.thrift; each Write function writes one struct's fields in id order.
#include "formats/parquet/parquet_metadata.h"

#include "formats/parquet/thrift_compact.h"

namespace sluice::parquet {

namespace {

void WriteEmptyStructField(ThriftWriter& writer, int16_t id) {
  writer.field_struct(id);
  writer.end_struct();
}

void WriteTimeUnit(ThriftWriter& writer, int16_t id, TimeUnit unit) {
  writer.field_struct(id);
  WriteEmptyStructField(writer, static_cast<int16_t>(unit));
  writer.end_struct();
}

void WriteLogicalType(ThriftWriter& writer, const LogicalType& logical) {
  writer.field_struct(10);
  auto member = static_cast<int16_t>(logical.kind);
  switch (logical.kind) {
    case LogicalType::Kind::kDecimal:
      writer.field_struct(member);
      writer.field_i32(1, logical.scale);
      writer.field_i32(2, logical.precision);
      writer.end_struct();
      break;
    case LogicalType::Kind::kTime:
    case LogicalType::Kind::kTimestamp:
      writer.field_struct(member);
      writer.field_bool(1, logical.adjusted_to_utc);
      WriteTimeUnit(writer, 2, logical.unit);
      writer.end_struct();
      break;
    default:
      WriteEmptyStructField(writer, member);
      break;
  }
  writer.end_struct();
}

void WriteSchemaElement(ThriftWriter& writer, const SchemaElement& element) {
  writer.begin_struct();
  if (element.type) writer.field_i32(1, static_cast<int32_t>(*element.type));
  if (element.type == PhysicalType::kFixedLenByteArray) writer.field_i32(2, element.type_length);
  if (element.repetition) writer.field_i32(3, static_cast<int32_t>(*element.repetition));
  writer.field_binary(4, element.name);
  if (element.num_children > 0) writer.field_i32(5, element.num_children);
  if (element.converted_type) writer.field_i32(6, static_cast<int32_t>(*element.converted_type));
  if (element.converted_type == ConvertedType::kDecimal) {
    writer.field_i32(7, element.scale);
    writer.field_i32(8, element.precision);
  }
  if (element.logical_type.kind != LogicalType::Kind::kNone) {
    WriteLogicalType(writer, element.logical_type);
  }
  writer.end_struct();
}

void WriteStatistics(ThriftWriter& writer, const Statistics& stats) {
  writer.field_struct(12);
  if (stats.null_count) writer.field_i64(3, *stats.null_count);
  if (stats.max_value) writer.field_binary(5, *stats.max_value);
  if (stats.min_value) writer.field_binary(6, *stats.min_value);
  if (stats.max_value) writer.field_bool(7, stats.max_exact);
  if (stats.min_value) writer.field_bool(8, stats.min_exact);
  writer.end_struct();
}

void WriteColumnMetaData(ThriftWriter& writer, const ColumnMetaData& meta) {
  writer.field_struct(3);
  writer.field_i32(1, static_cast<int32_t>(meta.type));
  writer.field_list(2, ThriftType::kI32, meta.encodings.size());
  for (Encoding encoding : meta.encodings) writer.i32(static_cast<int32_t>(encoding));
  writer.field_list(3, ThriftType::kBinary, meta.path_in_schema.size());
  for (const std::string& name : meta.path_in_schema) writer.binary(name);
  writer.field_i32(4, static_cast<int32_t>(meta.codec));
  writer.field_i64(5, meta.num_values);
  writer.field_i64(6, meta.total_uncompressed_size);
  writer.field_i64(7, meta.total_compressed_size);
  writer.field_i64(9, meta.data_page_offset);
  if (meta.dictionary_page_offset) writer.field_i64(11, *meta.dictionary_page_offset);
  if (meta.statistics) WriteStatistics(writer, *meta.statistics);
  writer.end_struct();
}

void WriteRowGroup(ThriftWriter& writer, const RowGroup& group) {
  writer.begin_struct();
  writer.field_list(1, ThriftType::kStruct, group.columns.size());
  for (const ColumnChunk& chunk : group.columns) {
    writer.begin_struct();
    writer.field_i64(2, chunk.file_offset);
    WriteColumnMetaData(writer, chunk.meta_data);
    writer.end_struct();
  }
  writer.field_i64(2, group.total_byte_size);
  writer.field_i64(3, group.num_rows);
  if (group.file_offset) writer.field_i64(5, *group.file_offset);
  if (group.total_compressed_size) writer.field_i64(6, *group.total_compressed_size);
  if (group.ordinal) writer.field_i16(7, *group.ordinal);
  writer.end_struct();
}

}  // namespace

void EncodeFileMetaData(const FileMetaData& metadata, std::string& out) {
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_i32(1, metadata.version);
  writer.field_list(2, ThriftType::kStruct, metadata.schema.size());
  for (const SchemaElement& element : metadata.schema) WriteSchemaElement(writer, element);
  writer.field_i64(3, metadata.num_rows);
  writer.field_list(4, ThriftType::kStruct, metadata.row_groups.size());
  for (const RowGroup& group : metadata.row_groups) WriteRowGroup(writer, group);
  if (!metadata.created_by.empty()) writer.field_binary(6, metadata.created_by);
  if (metadata.type_defined_column_order && metadata.schema.size() > 1) {
    writer.field_list(7, ThriftType::kStruct, metadata.schema.size() - 1);
    for (size_t i = 1; i < metadata.schema.size(); ++i) {
      writer.begin_struct();
      WriteEmptyStructField(writer, 1);  // ColumnOrder.TYPE_ORDER
      writer.end_struct();
    }
  }
  writer.end_struct();
}

void EncodeRowGroups(const std::vector<RowGroup>& row_groups, std::string& out) {
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_list(4, ThriftType::kStruct, row_groups.size());
  for (const RowGroup& group : row_groups) WriteRowGroup(writer, group);
  writer.end_struct();
}

void EncodePageHeader(const PageHeader& header, std::string& out) {
  ThriftWriter writer(out);
  writer.begin_struct();
  writer.field_i32(1, static_cast<int32_t>(header.type));
  writer.field_i32(2, header.uncompressed_page_size);
  writer.field_i32(3, header.compressed_page_size);
  if (header.data_page) {
    writer.field_struct(5);
    writer.field_i32(1, header.data_page->num_values);
    writer.field_i32(2, static_cast<int32_t>(header.data_page->encoding));
    writer.field_i32(3, static_cast<int32_t>(header.data_page->definition_level_encoding));
    writer.field_i32(4, static_cast<int32_t>(header.data_page->repetition_level_encoding));
    writer.end_struct();
  }
  if (header.dictionary_page) {
    writer.field_struct(7);
    writer.field_i32(1, header.dictionary_page->num_values);
    writer.field_i32(2, static_cast<int32_t>(header.dictionary_page->encoding));
    writer.end_struct();
  }
  if (header.data_page_v2) {
    const DataPageHeaderV2& v2 = *header.data_page_v2;
    writer.field_struct(8);
    writer.field_i32(1, v2.num_values);
    writer.field_i32(2, v2.num_nulls);
    writer.field_i32(3, v2.num_rows);
    writer.field_i32(4, static_cast<int32_t>(v2.encoding));
    writer.field_i32(5, v2.definition_levels_byte_length);
    writer.field_i32(6, v2.repetition_levels_byte_length);
    writer.field_bool(7, v2.is_compressed);
    writer.end_struct();
  }
  writer.end_struct();
}

}  // namespace sluice::parquet
