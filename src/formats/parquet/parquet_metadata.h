// The Parquet footer and page header structures that Sluice reads and writes,
// with their Thrift compact encoding. Field ids and enum values follow
// parquet.thrift of the Apache Parquet format; fields Sluice does not use are
// skipped when reading and never written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::parquet {

enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

enum class TimeUnit : uint8_t { kMillis = 1, kMicros = 2, kNanos = 3 };

// The LogicalType union, reduced to the annotations Sluice maps to its types.
struct LogicalType {
  enum class Kind : int16_t {
    kNone = 0,
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kOther = 99,  // a union member this code does not know
  };
  Kind kind = Kind::kNone;
  int32_t scale = 0;              // kDecimal
  int32_t precision = 0;          // kDecimal
  bool adjusted_to_utc = false;   // kTime, kTimestamp
  TimeUnit unit = TimeUnit::kMicros;  // kTime, kTimestamp
  int8_t bit_width = 64;          // kInteger
  bool is_signed = true;          // kInteger
};

struct SchemaElement {
  std::optional<PhysicalType> type;  // unset for groups
  int32_t type_length = 0;           // FIXED_LEN_BYTE_ARRAY width
  std::optional<Repetition> repetition;
  std::string name;
  int32_t num_children = 0;          // > 0 for groups
  std::optional<ConvertedType> converted_type;
  int32_t scale = 0;
  int32_t precision = 0;
  LogicalType logical_type;
};

struct Statistics {
  std::optional<int64_t> null_count;
  std::optional<std::string> min_value;
  std::optional<std::string> max_value;
  bool min_exact = true;
  bool max_exact = true;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt64;
  std::vector<Encoding> encodings;
  std::vector<std::string> path_in_schema;
  Codec codec = Codec::kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
};

struct ColumnChunk {
  int64_t file_offset = 0;
  ColumnMetaData meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;  // depth-first; schema[0] is the root group
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::string created_by;
  bool type_defined_column_order = false;  // writes a TYPE_ORDER per leaf column
};

struct DataPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
  Encoding definition_level_encoding = Encoding::kRle;
  Encoding repetition_level_encoding = Encoding::kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  Encoding encoding = Encoding::kPlain;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  Encoding encoding = Encoding::kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  PageType type = PageType::kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page;
  std::optional<DictionaryPageHeader> dictionary_page;
  std::optional<DataPageHeaderV2> data_page_v2;
};

void EncodeFileMetaData(const FileMetaData& metadata, std::string& out);
void EncodePageHeader(const PageHeader& header, std::string& out);
void EncodeRowGroups(const std::vector<RowGroup>& row_groups, std::string& out);

// Decoders throw InvalidInput for malformed bytes or missing required fields.
FileMetaData DecodeFileMetaData(std::string_view data);
std::vector<RowGroup> DecodeRowGroups(std::string_view data);
// Decodes one page header from the start of `data`; sets `header_size` to
// the bytes it took.
PageHeader DecodePageHeader(std::string_view data, size_t& header_size);

}  // namespace sluice::parquet
