#include "sources/parquet/column_chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/rle_bit_packed.h"

namespace sluice::parquet {

namespace {

// Limits that keep a corrupt header from requesting huge allocations. Real
// writers use pages of about 1 MiB and far fewer values.
constexpr uint64_t kMaxPageBytes = 256 * 1024 * 1024;
constexpr int64_t kMaxPageValues = 64 * 1024 * 1024;
constexpr uint64_t kFirstHeaderRead = 1024;
constexpr uint64_t kMaxHeaderBytes = 16 * 1024 * 1024;

}  // namespace

ColumnChunkReader::ColumnChunkReader(ParquetFile& file, const ColumnSpec& spec, const ColumnMetaData& meta)
    : file_(file), spec_(spec), codec_(meta.codec) {
  int64_t start = meta.data_page_offset;
  // Some writers set dictionary_page_offset to 0 when there is no dictionary.
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 && *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 4 || meta.total_compressed_size < 0 ||
      static_cast<uint64_t>(start) > file.size() ||
      static_cast<uint64_t>(meta.total_compressed_size) > file.size() - static_cast<uint64_t>(start)) {
    corrupt("its byte range lies outside the file");
  }
  offset_ = static_cast<uint64_t>(start);
  end_ = offset_ + static_cast<uint64_t>(meta.total_compressed_size);
}

void ColumnChunkReader::corrupt(const std::string& what) const {
  throw InvalidInput("corrupt Parquet file '" + file_.path() + "': column '" + spec_.field.name + "': " + what);
}

PageHeader ColumnChunkReader::read_page_header() {
  uint64_t window = kFirstHeaderRead;
  for (;;) {
    uint64_t length = std::min(window, end_ - offset_);
    file_.read(offset_, length, raw_);
    try {
      size_t header_size = 0;
      PageHeader header = DecodePageHeader(raw_, header_size);
      offset_ += header_size;
      return header;
    } catch (const Error& error) {
      // The header may be longer than the bytes read (large statistics): read more.
      if (length == end_ - offset_ || window >= kMaxHeaderBytes) corrupt(std::string("bad page header: ") + error.what());
      window *= 4;
    }
  }
}

void ColumnChunkReader::load_next_data_page() {
  for (;;) {
    if (offset_ >= end_) corrupt("the column chunk ends before the row group's last row");
    PageHeader header = read_page_header();
    if (header.compressed_page_size < 0 || static_cast<uint64_t>(header.compressed_page_size) > end_ - offset_) {
      corrupt("a page runs past the end of its column chunk");
    }
    if (header.uncompressed_page_size < 0 || static_cast<uint64_t>(header.uncompressed_page_size) > kMaxPageBytes) {
      corrupt("page size " + std::to_string(header.uncompressed_page_size) + " is invalid or above 256 MiB");
    }
    file_.read(offset_, static_cast<uint64_t>(header.compressed_page_size), raw_);
    offset_ += static_cast<uint64_t>(header.compressed_page_size);

    if (header.type == PageType::kDictionaryPage && header.dictionary_page) {
      DecompressPage(codec_, raw_, header.uncompressed_page_size, decompressed_);
      load_dictionary(header, decompressed_);
      continue;
    }
    if ((header.type == PageType::kDataPage && header.data_page) ||
        (header.type == PageType::kDataPageV2 && header.data_page_v2)) {
      load_data_page(header, raw_);
      if (page_values_ > 0) return;
    }
    // Index pages and unknown page types are skipped.
  }
}

void ColumnChunkReader::load_dictionary(const PageHeader& header, std::string_view body) {
  Encoding encoding = header.dictionary_page->encoding;
  if (encoding != Encoding::kPlain && encoding != Encoding::kPlainDictionary) {
    corrupt("the dictionary page is not PLAIN-encoded");
  }
  int32_t count = header.dictionary_page->num_values;
  if (count < 0 || count > kMaxPageValues) corrupt("the dictionary page has an invalid value count");
  dictionary_.clear();
  DecodeValues(spec_, Encoding::kPlain, body, static_cast<size_t>(count), dictionary_);
  has_dictionary_ = true;
}

void ColumnChunkReader::decode_levels(std::string_view levels, size_t num_values) {
  levels_.resize(num_values);
  RleBitPackedDecoder(levels, 1).decode(levels_.data(), num_values);
}

void ColumnChunkReader::load_data_page(const PageHeader& header, std::string_view page) {
  bool v2 = header.type == PageType::kDataPageV2;
  int32_t num_values = v2 ? header.data_page_v2->num_values : header.data_page->num_values;
  Encoding encoding = v2 ? header.data_page_v2->encoding : header.data_page->encoding;
  if (num_values < 0 || num_values > kMaxPageValues) corrupt("a data page has an invalid value count");
  size_t count = static_cast<size_t>(num_values);

  std::string_view values;
  if (v2) {
    const DataPageHeaderV2& v2_header = *header.data_page_v2;
    int64_t levels_bytes = int64_t{v2_header.definition_levels_byte_length} + v2_header.repetition_levels_byte_length;
    if (v2_header.definition_levels_byte_length < 0 || v2_header.repetition_levels_byte_length < 0 ||
        levels_bytes > static_cast<int64_t>(page.size())) {
      corrupt("data page v2 level lengths pass the page");
    }
    // Levels are never compressed in v2 pages; they precede the values.
    std::string_view definition = page.substr(v2_header.repetition_levels_byte_length,
                                              v2_header.definition_levels_byte_length);
    if (spec_.max_definition > 0) decode_levels(definition, count);
    std::string_view body = page.substr(levels_bytes);
    if (v2_header.is_compressed && codec_ != Codec::kUncompressed) {
      int64_t size = int64_t{header.uncompressed_page_size} - levels_bytes;
      if (size < 0) corrupt("data page v2 is smaller than its levels");
      DecompressPage(codec_, body, static_cast<size_t>(size), decompressed_);
      values = decompressed_;
    } else {
      values = body;
    }
  } else {
    DecompressPage(codec_, page, header.uncompressed_page_size, decompressed_);
    values = decompressed_;
    if (spec_.max_definition > 0) {
      if (header.data_page->definition_level_encoding != Encoding::kRle) {
        corrupt("definition levels use the deprecated BIT_PACKED encoding, which Sluice cannot read");
      }
      if (values.size() < 4) corrupt("definition levels have no length");
      uint32_t length;
      std::memcpy(&length, values.data(), 4);
      if (length > values.size() - 4) corrupt("definition levels pass the end of the page");
      decode_levels(values.substr(4, length), count);
      values = values.substr(4 + length);
    }
  }

  size_t non_null = count;
  if (spec_.max_definition > 0) {
    non_null = static_cast<size_t>(std::count(levels_.begin(), levels_.end(), uint8_t{1}));
  }
  dictionary_encoded_ = encoding == Encoding::kRleDictionary || encoding == Encoding::kPlainDictionary;
  values_.clear();
  indices_.clear();
  if (dictionary_encoded_) {
    if (!has_dictionary_) corrupt("a dictionary-encoded page comes without a dictionary page");
    if (non_null > 0) {
      if (values.empty()) corrupt("dictionary indices have no bit width");
      int width = static_cast<uint8_t>(values[0]);
      indices_.resize(non_null);
      RleBitPackedDecoder(values.substr(1), width).decode(indices_.data(), non_null);
      size_t dictionary_size = dictionary_.size(spec_.kind);
      for (uint32_t index : indices_) {
        if (index >= dictionary_size) corrupt("a dictionary index is past the dictionary's end");
      }
    }
  } else {
    DecodeValues(spec_, encoding, values, non_null, values_);
  }
  page_values_ = count;
  level_position_ = 0;
  value_position_ = 0;
}

void ColumnChunkReader::append_value(Column& column, const DecodedValues& values, size_t index) const {
  switch (spec_.kind) {
    case ValueKind::kBool: column.append_bool(values.ints[index] != 0); break;
    case ValueKind::kInt: column.append_int64(values.ints[index]); break;
    case ValueKind::kDouble: column.append_double(values.doubles[index]); break;
    case ValueKind::kDecimal: column.append_decimal(values.decimals[index]); break;
    case ValueKind::kBytes: column.append_bytes(values.bytes_at(index)); break;
  }
}

void ColumnChunkReader::next_page_with_context() {
  try {
    load_next_data_page();
  } catch (const Error& error) {
    std::string message = error.what();
    if (error.kind() != ErrorKind::kInvalidInput || message.rfind("corrupt Parquet file '", 0) == 0) throw;
    // Decoder and codec errors do not know the file or the column.
    throw InvalidInput("Parquet file '" + file_.path() + "', column '" + spec_.field.name + "': " + message);
  }
}

void ColumnChunkReader::read(Column& column, size_t count) {
  while (count > 0) {
    if (level_position_ == page_values_) next_page_with_context();
    size_t n = std::min(count, page_values_ - level_position_);
    for (size_t i = 0; i < n; ++i) {
      if (spec_.max_definition > 0 && levels_[level_position_ + i] != 1) {
        column.append_null();
        continue;
      }
      if (dictionary_encoded_) {
        append_value(column, dictionary_, indices_[value_position_++]);
      } else {
        append_value(column, values_, value_position_++);
      }
    }
    level_position_ += n;
    count -= n;
  }
}

}  // namespace sluice::parquet
