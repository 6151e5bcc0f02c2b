#include "formats/parquet/column_chunk_writer.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/free_buffer.h"
#include "formats/parquet/parquet_schema.h"
#include "formats/parquet/rle_bit_packed.h"

namespace sluice::parquet {

namespace {

int FixedWidth(const SchemaElement& element) {
  switch (*element.type) {
    case PhysicalType::kInt32: return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble: return 8;
    case PhysicalType::kFixedLenByteArray: return element.type_length;
    default: return 0;
  }
}

void AppendLittleEndian32(uint32_t value, std::string& out) {
  char bytes[4];
  std::memcpy(bytes, &value, 4);  // NOTE: assumes a little-endian host, as x86-64 and AArch64 are.
  out.append(bytes, 4);
}

int32_t DateToInt32(int64_t days, const std::string& column) {
  if (days < INT32_MIN || days > INT32_MAX) {
    throw InvalidInput("date in column '" + column + "' is " + std::to_string(days) +
                       " days from 1970-01-01, outside the range of a Parquet DATE (32-bit days)");
  }
  return static_cast<int32_t>(days);
}

// Values between checks of whether the dictionary is smaller than PLAIN.
constexpr uint64_t kDictionaryCheckValues = 8192;

}  // namespace

bool ColumnChunkWriter::dictionary_pays_off() const {
  uint64_t index_bytes = dictionary_values_ * static_cast<uint64_t>(BitWidth(dictionary_.size())) / 8;
  return dictionary_.plain().size() + index_bytes < plain_equivalent_bytes_;
}

ColumnChunkWriter::ColumnChunkWriter(const Field& field, const ParquetWriteOptions& options,
                                     PageCompressor& compressor)
    : field_(field),
      element_(LeafElement(field)),
      options_(options),
      compressor_(compressor),
      optional_(field.nullable),
      use_dictionary_(options.dictionary && field.type.id != TypeId::kBoolean),
      dictionary_(FixedWidth(element_)),
      statistics_(*element_.type, element_.type_length, field.type.id == TypeId::kString) {}

size_t ColumnChunkWriter::buffered_bytes() const {
  return pages_bytes_ + dictionary_.memory_bytes() + plain_.size() + indices_.size() * 4 +
         booleans_.size() * 4 + definition_levels_.size();
}

size_t ColumnChunkWriter::pending_bytes() const {
  // A page header is about 30 bytes; 64 leaves room for large counts.
  constexpr size_t kPageHeaderBytes = 64;
  size_t open_page = plain_.size() + (booleans_.size() + 7) / 8 + (definition_levels_.size() + 7) / 8;
  if (!indices_.empty()) {
    size_t width = static_cast<size_t>(std::max(1, BitWidth(dictionary_.size() - 1)));
    open_page += 1 + (indices_.size() * width + 7) / 8;
  }
  size_t dictionary = dictionary_.plain().size();
  size_t headers = (open_page > 0 ? kPageHeaderBytes : 0) + (dictionary > 0 ? kPageHeaderBytes : 0);
  return pages_bytes_ + dictionary + open_page + headers;
}

size_t ColumnChunkWriter::held_bytes() const {
  return pages_bytes_ + pages_.capacity() * sizeof(std::string) + dictionary_.held_bytes() +
         plain_.capacity() + indices_.capacity() * 4 + booleans_.capacity() * 4 +
         definition_levels_.capacity() + compressed_.capacity();
}

// Encodes one non-null fixed-width value given as its PLAIN bytes.
void ColumnChunkWriter::append_fixed(const void* bytes, int width) {
  std::string_view value(static_cast<const char*>(bytes), width);
  if (use_dictionary_) {
    bool added;
    indices_.push_back(dictionary_.insert(value, added));
    ++dictionary_values_;
    plain_equivalent_bytes_ += static_cast<uint64_t>(width);
  } else {
    plain_.append(value);
  }
}

void ColumnChunkWriter::append_byte_array(std::string_view value) {
  if (use_dictionary_) {
    bool added;
    indices_.push_back(dictionary_.insert(value, added));
    ++dictionary_values_;
    plain_equivalent_bytes_ += 4 + value.size();
    if (added) statistics_.update_bytes(value);  // a repeated entry cannot move min or max
    return;
  }
  AppendLittleEndian32(static_cast<uint32_t>(value.size()), plain_);
  plain_.append(value);
  statistics_.update_bytes(value);
}

template <class Append>
void ColumnChunkWriter::write_rows(const Column& column, size_t begin, size_t end, Append&& append_value) {
  uint64_t nulls = 0;
  for (size_t row = begin; row < end; ++row) {
    bool is_null = column.is_null(row);
    if (optional_) {
      definition_levels_.push_back(is_null ? 0 : 1);
    } else if (is_null) {
      throw InvalidInput("column '" + field_.name + "' is declared NOT NULL but row " + std::to_string(row) +
                         " of the batch is null: declare the column nullable in the schema");
    }
    if (is_null) {
      ++nulls;
    } else {
      append_value(row);
    }
    ++page_values_;

    bool check_ratio = use_dictionary_ && dictionary_values_ % kDictionaryCheckValues == 0 && !is_null;
    if (use_dictionary_ && (dictionary_.plain().size() > options_.dictionary_page_bytes ||
                            (check_ratio && !dictionary_pays_off()))) {
      close_page();
      use_dictionary_ = false;
    } else if (plain_.size() + indices_.size() * 4 + booleans_.size() * 4 + definition_levels_.size() >=
               options_.page_bytes) {
      close_page();
    }
  }
  statistics_.add_nulls(nulls);
}

void ColumnChunkWriter::write(const Column& column, size_t begin, size_t end) {
  switch (field_.type.id) {
    case TypeId::kBoolean:
      write_rows(column, begin, end, [&](size_t row) {
        bool value = column.bool_at(row);
        booleans_.push_back(value ? 1 : 0);
        statistics_.update_bool(value);
      });
      break;
    case TypeId::kInt64:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      const int64_t* values = column.int64s().data();
      write_rows(column, begin, end, [&](size_t row) {
        append_fixed(&values[row], 8);
        statistics_.update_int(values[row]);
      });
      break;
    }
    case TypeId::kDate:
      write_rows(column, begin, end, [&](size_t row) {
        int32_t value = DateToInt32(column.int64_at(row), field_.name);
        append_fixed(&value, 4);
        statistics_.update_int(value);
      });
      break;
    case TypeId::kFloat64: {
      const double* values = column.doubles().data();
      write_rows(column, begin, end, [&](size_t row) {
        append_fixed(&values[row], 8);
        statistics_.update_double(values[row]);
      });
      break;
    }
    case TypeId::kDecimal:
      write_rows(column, begin, end, [&](size_t row) {
        Int128 value = column.decimal_at(row);
        if (element_.type == PhysicalType::kInt32) {
          auto narrow = static_cast<int32_t>(value);
          append_fixed(&narrow, 4);
          statistics_.update_int(narrow);
        } else if (element_.type == PhysicalType::kInt64) {
          auto narrow = static_cast<int64_t>(value);
          append_fixed(&narrow, 8);
          statistics_.update_int(narrow);
        } else {
          char bytes[16];
          WriteBigEndian(value, element_.type_length, bytes);
          append_fixed(bytes, element_.type_length);
          statistics_.update_decimal(value);
        }
      });
      break;
    case TypeId::kString:
    case TypeId::kBinary:
      write_rows(column, begin, end, [&](size_t row) { append_byte_array(column.bytes_at(row)); });
      break;
  }
}

std::string ColumnChunkWriter::encode_page_body(Encoding& encoding) {
  std::string body;
  if (optional_) {
    std::string levels;
    EncodeRleBitPacked(definition_levels_.data(), definition_levels_.size(), 1, levels);
    AppendLittleEndian32(static_cast<uint32_t>(levels.size()), body);  // v1 pages prefix the length
    body += levels;
    used_levels_ = true;
  }
  if (field_.type.id == TypeId::kBoolean) {
    AppendBitPacked(booleans_.data(), booleans_.size(), 1, body);
    encoding = Encoding::kPlain;
    used_plain_ = true;
  } else if (!indices_.empty()) {
    // At least 1 bit, because some readers mishandle 0-bit index runs.
    int width = std::max(1, BitWidth(dictionary_.size() - 1));
    body.push_back(static_cast<char>(width));
    EncodeRleBitPacked(indices_.data(), indices_.size(), width, body);
    encoding = Encoding::kRleDictionary;
    wrote_dictionary_page_data_ = true;
  } else {
    body += plain_;
    encoding = Encoding::kPlain;
    used_plain_ = true;
  }
  return body;
}

void ColumnChunkWriter::append_page(PageType type, const std::string& body, int32_t num_values,
                                    Encoding encoding, std::string& out) {
  compressor_.compress(body, compressed_);
  PageHeader header;
  header.type = type;
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  header.compressed_page_size = static_cast<int32_t>(compressed_.size());
  if (type == PageType::kDictionaryPage) {
    header.dictionary_page = DictionaryPageHeader{num_values, encoding};
  } else {
    header.data_page = DataPageHeader{num_values, encoding, Encoding::kRle, Encoding::kRle};
  }
  size_t start = out.size();
  out.reserve(start + compressed_.size() + 64);  // a page header takes well under 64 bytes
  EncodePageHeader(header, out);
  uncompressed_bytes_ += static_cast<int64_t>(out.size() - start + body.size());
  out += compressed_;
}

void ColumnChunkWriter::close_page() {
  if (page_values_ == 0) return;
  Encoding encoding;
  std::string body = encode_page_body(encoding);
  std::string page;
  append_page(PageType::kDataPage, body, static_cast<int32_t>(page_values_), encoding, page);
  pages_bytes_ += page.size();
  pages_.push_back(std::move(page));
  num_values_ += static_cast<int64_t>(page_values_);
  page_values_ = 0;
  definition_levels_.clear();
  indices_.clear();
  booleans_.clear();
  plain_.clear();
}

void ColumnChunkWriter::release_memory() {
  definition_levels_ = std::vector<uint8_t>();
  indices_ = std::vector<uint32_t>();
  booleans_ = std::vector<uint32_t>();
  FreeBuffer(plain_);
  FreeBuffer(compressed_);
  dictionary_.release_memory();
}

ColumnChunk ColumnChunkWriter::flush(ByteSink& sink, int64_t file_offset) {
  close_page();
  ColumnChunk chunk;
  ColumnMetaData& meta = chunk.meta_data;
  meta.type = *element_.type;
  meta.path_in_schema = {field_.name};
  meta.codec = compressor_.codec();
  meta.num_values = num_values_;

  int64_t offset = file_offset;
  if (wrote_dictionary_page_data_) {
    std::string dictionary_page;
    append_page(PageType::kDictionaryPage, dictionary_.plain(), static_cast<int32_t>(dictionary_.size()),
                Encoding::kPlain, dictionary_page);
    meta.dictionary_page_offset = offset;
    sink.write(dictionary_page);
    offset += static_cast<int64_t>(dictionary_page.size());
  }
  meta.data_page_offset = offset;
  for (const std::string& page : pages_) sink.write(page);
  offset += static_cast<int64_t>(pages_bytes_);
  meta.total_compressed_size = offset - file_offset;
  meta.total_uncompressed_size = uncompressed_bytes_;
  chunk.file_offset = file_offset;

  if (used_plain_ || wrote_dictionary_page_data_) meta.encodings.push_back(Encoding::kPlain);
  if (used_levels_) meta.encodings.push_back(Encoding::kRle);
  if (wrote_dictionary_page_data_) meta.encodings.push_back(Encoding::kRleDictionary);
  meta.statistics = statistics_.finish();

  pages_ = std::vector<std::string>();  // a row group's pages can be tens of MiB; free them between groups
  pages_bytes_ = 0;
  dictionary_.clear();
  statistics_.reset();
  num_values_ = 0;
  uncompressed_bytes_ = 0;
  dictionary_values_ = 0;
  plain_equivalent_bytes_ = 0;
  wrote_dictionary_page_data_ = used_plain_ = used_levels_ = false;
  use_dictionary_ = options_.dictionary && field_.type.id != TypeId::kBoolean;
  return chunk;
}

}  // namespace sluice::parquet
