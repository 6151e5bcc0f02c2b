// Decoding of the footer and page headers. Unknown fields are skipped, so
// files from newer writers still read; a field of an unexpected wire type is
// skipped too rather than misread.
#include <string>

#include "core/error.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/thrift_compact.h"

namespace sluice::parquet {

namespace {

using Type = ThriftType;

bool IsInt(Type type) { return type == Type::kI32 || type == Type::kI16 || type == Type::kI64; }
bool IsBool(Type type) { return type == Type::kBoolTrue || type == Type::kBoolFalse; }

// Reads a list of `element` values, calling read_element for each; a list of
// another element type is skipped.
template <class ReadElement>
void ReadList(ThriftReader& reader, Type expected, ReadElement&& read_element) {
  Type element;
  size_t size = reader.read_list_header(element);
  if (element != expected) {
    for (size_t i = 0; i < size; ++i) reader.skip(element);
    return;
  }
  for (size_t i = 0; i < size; ++i) read_element();
}

TimeUnit ReadTimeUnit(ThriftReader& reader) {
  TimeUnit unit = TimeUnit::kMicros;
  reader.read_struct([&](int16_t id, Type type) {
    if (id >= 1 && id <= 3) unit = static_cast<TimeUnit>(id);
    reader.skip(type);
  });
  return unit;
}

void ReadTemporal(ThriftReader& reader, LogicalType& logical) {
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 1 && IsBool(type)) {
      logical.adjusted_to_utc = ThriftReader::BoolFromType(type);
    } else if (id == 2 && type == Type::kStruct) {
      logical.unit = ReadTimeUnit(reader);
    } else {
      reader.skip(type);
    }
  });
}

LogicalType ReadLogicalType(ThriftReader& reader) {
  LogicalType logical;
  reader.read_struct([&](int16_t id, Type type) {
    if (type != Type::kStruct) return reader.skip(type);
    bool known = (id >= 1 && id <= 8) || (id >= 10 && id <= 14);
    logical.kind = known ? static_cast<LogicalType::Kind>(id) : LogicalType::Kind::kOther;
    if (id == 5) {
      reader.read_struct([&](int16_t field, Type field_type) {
        if (field == 1 && IsInt(field_type)) logical.scale = reader.read_i32();
        else if (field == 2 && IsInt(field_type)) logical.precision = reader.read_i32();
        else reader.skip(field_type);
      });
    } else if (id == 7 || id == 8) {
      ReadTemporal(reader, logical);
    } else if (id == 10) {
      reader.read_struct([&](int16_t field, Type field_type) {
        if (field == 1 && field_type == Type::kByte) logical.bit_width = reader.read_byte();
        else if (field == 2 && IsBool(field_type)) logical.is_signed = ThriftReader::BoolFromType(field_type);
        else reader.skip(field_type);
      });
    } else {
      reader.skip(type);
    }
  });
  return logical;
}

SchemaElement ReadSchemaElement(ThriftReader& reader) {
  SchemaElement element;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 4 && type == Type::kBinary) {
      element.name = std::string(reader.read_binary());
    } else if (id == 10 && type == Type::kStruct) {
      element.logical_type = ReadLogicalType(reader);
    } else if (!IsInt(type) || id < 1 || id > 8) {
      reader.skip(type);
    } else {
      int32_t value = reader.read_i32();
      switch (id) {
        case 1: element.type = static_cast<PhysicalType>(value); break;
        case 2: element.type_length = value; break;
        case 3: element.repetition = static_cast<Repetition>(value); break;
        case 5: element.num_children = value; break;
        case 6: element.converted_type = static_cast<ConvertedType>(value); break;
        case 7: element.scale = value; break;
        case 8: element.precision = value; break;
        default: break;
      }
    }
  });
  return element;
}

Statistics ReadStatistics(ThriftReader& reader) {
  Statistics stats;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 3 && IsInt(type)) stats.null_count = reader.read_i64();
    else if (id == 5 && type == Type::kBinary) stats.max_value = std::string(reader.read_binary());
    else if (id == 6 && type == Type::kBinary) stats.min_value = std::string(reader.read_binary());
    else if (id == 7 && IsBool(type)) stats.max_exact = ThriftReader::BoolFromType(type);
    else if (id == 8 && IsBool(type)) stats.min_exact = ThriftReader::BoolFromType(type);
    else reader.skip(type);
  });
  return stats;
}

ColumnMetaData ReadColumnMetaData(ThriftReader& reader) {
  ColumnMetaData meta;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 12 && type == Type::kStruct) {
      meta.statistics = ReadStatistics(reader);
    } else if (id == 2 && type == Type::kList) {
      ReadList(reader, Type::kI32, [&] { meta.encodings.push_back(static_cast<Encoding>(reader.read_i32())); });
    } else if (id == 3 && type == Type::kList) {
      ReadList(reader, Type::kBinary, [&] { meta.path_in_schema.emplace_back(reader.read_binary()); });
    } else if (!IsInt(type)) {
      reader.skip(type);
    } else {
      int64_t value = reader.read_i64();
      switch (id) {
        case 1: meta.type = static_cast<PhysicalType>(value); break;
        case 4: meta.codec = static_cast<Codec>(value); break;
        case 5: meta.num_values = value; break;
        case 6: meta.total_uncompressed_size = value; break;
        case 7: meta.total_compressed_size = value; break;
        case 9: meta.data_page_offset = value; break;
        case 11: meta.dictionary_page_offset = value; break;
        default: break;
      }
    }
  });
  return meta;
}

ColumnChunk ReadColumnChunk(ThriftReader& reader) {
  ColumnChunk chunk;
  bool has_meta = false;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 2 && IsInt(type)) {
      chunk.file_offset = reader.read_i64();
    } else if (id == 3 && type == Type::kStruct) {
      chunk.meta_data = ReadColumnMetaData(reader);
      has_meta = true;
    } else {
      reader.skip(type);
    }
  });
  if (!has_meta) throw InvalidInput("corrupt Parquet footer: a column chunk has no metadata");
  return chunk;
}

RowGroup ReadRowGroup(ThriftReader& reader) {
  RowGroup group;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 1 && type == Type::kList) {
      ReadList(reader, Type::kStruct, [&] { group.columns.push_back(ReadColumnChunk(reader)); });
    } else if (!IsInt(type)) {
      reader.skip(type);
    } else {
      int64_t value = reader.read_i64();
      if (id == 2) group.total_byte_size = value;
      else if (id == 3) group.num_rows = value;
      else if (id == 5) group.file_offset = value;
      else if (id == 6) group.total_compressed_size = value;
      else if (id == 7) group.ordinal = static_cast<int16_t>(value);
    }
  });
  return group;
}

void ReadFileField(ThriftReader& reader, FileMetaData& metadata, int16_t id, Type type) {
  if (id == 1 && IsInt(type)) {
    metadata.version = reader.read_i32();
  } else if (id == 2 && type == Type::kList) {
    ReadList(reader, Type::kStruct, [&] { metadata.schema.push_back(ReadSchemaElement(reader)); });
  } else if (id == 3 && IsInt(type)) {
    metadata.num_rows = reader.read_i64();
  } else if (id == 4 && type == Type::kList) {
    ReadList(reader, Type::kStruct, [&] { metadata.row_groups.push_back(ReadRowGroup(reader)); });
  } else if (id == 6 && type == Type::kBinary) {
    metadata.created_by = std::string(reader.read_binary());
  } else {
    reader.skip(type);
  }
}

}  // namespace

FileMetaData DecodeFileMetaData(std::string_view data) {
  ThriftReader reader(data);
  FileMetaData metadata;
  reader.read_struct([&](int16_t id, Type type) { ReadFileField(reader, metadata, id, type); });
  if (metadata.schema.empty()) throw InvalidInput("corrupt Parquet footer: the schema is empty");
  return metadata;
}

std::vector<RowGroup> DecodeRowGroups(std::string_view data) {
  ThriftReader reader(data);
  FileMetaData metadata;
  reader.read_struct([&](int16_t id, Type type) { ReadFileField(reader, metadata, id, type); });
  return std::move(metadata.row_groups);
}

PageHeader DecodePageHeader(std::string_view data, size_t& header_size) {
  ThriftReader reader(data);
  PageHeader header;
  reader.read_struct([&](int16_t id, Type type) {
    if (id == 5 && type == Type::kStruct) {
      DataPageHeader& page = header.data_page.emplace();
      reader.read_struct([&](int16_t field, Type field_type) {
        if (!IsInt(field_type)) return reader.skip(field_type);
        int32_t value = reader.read_i32();
        if (field == 1) page.num_values = value;
        else if (field == 2) page.encoding = static_cast<Encoding>(value);
        else if (field == 3) page.definition_level_encoding = static_cast<Encoding>(value);
        else if (field == 4) page.repetition_level_encoding = static_cast<Encoding>(value);
      });
    } else if (id == 7 && type == Type::kStruct) {
      DictionaryPageHeader& page = header.dictionary_page.emplace();
      reader.read_struct([&](int16_t field, Type field_type) {
        if (!IsInt(field_type)) return reader.skip(field_type);
        int32_t value = reader.read_i32();
        if (field == 1) page.num_values = value;
        else if (field == 2) page.encoding = static_cast<Encoding>(value);
      });
    } else if (id == 8 && type == Type::kStruct) {
      DataPageHeaderV2& page = header.data_page_v2.emplace();
      reader.read_struct([&](int16_t field, Type field_type) {
        if (field == 7 && IsBool(field_type)) {
          page.is_compressed = ThriftReader::BoolFromType(field_type);
          return;
        }
        if (!IsInt(field_type)) return reader.skip(field_type);
        int32_t value = reader.read_i32();
        if (field == 1) page.num_values = value;
        else if (field == 2) page.num_nulls = value;
        else if (field == 3) page.num_rows = value;
        else if (field == 4) page.encoding = static_cast<Encoding>(value);
        else if (field == 5) page.definition_levels_byte_length = value;
        else if (field == 6) page.repetition_levels_byte_length = value;
      });
    } else if (IsInt(type) && id >= 1 && id <= 3) {
      int32_t value = reader.read_i32();
      if (id == 1) header.type = static_cast<PageType>(value);
      else if (id == 2) header.uncompressed_page_size = value;
      else header.compressed_page_size = value;
    } else {
      reader.skip(type);
    }
  });
  header_size = reader.position();
  return header;
}

}  // namespace sluice::parquet
