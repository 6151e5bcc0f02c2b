#include "formats/parquet/parquet_writer.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/process_memory.h"
#include "formats/parquet/column_chunk_writer.h"
#include "formats/parquet/page_compressor.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/parquet_schema.h"
#include "formats/parquet/thrift_compact.h"

namespace sluice {

namespace {

// Marks a writer call in progress, in which the memory relief does nothing.
class BusyScope {
 public:
  explicit BusyScope(bool& busy) : busy_(busy), was_busy_(busy) { busy_ = true; }
  ~BusyScope() { busy_ = was_busy_; }
  BusyScope(const BusyScope&) = delete;
  BusyScope& operator=(const BusyScope&) = delete;

 private:
  bool& busy_;
  bool was_busy_;
};

constexpr std::string_view kMagic = "PAR1";
// Checkpoint state: this tag, then varints (format version, file offset,
// total rows, schema fingerprint), then the row groups as a Thrift struct.
// The whole is hex-encoded, because checkpoints are stored as JSON text.
constexpr std::string_view kStateTag = "SLUICE-PARQUET-STATE";
constexpr uint64_t kStateVersion = 1;
// Smallest page and dictionary limit a wide schema is given (see begin()).
constexpr uint64_t kMinColumnBufferBytes = 64 * 1024;

void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

uint64_t ReadVarint(std::string_view data, size_t& pos) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && pos < data.size(); shift += 7) {
    auto byte = static_cast<uint8_t>(data[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw InvalidInput("invalid Parquet writer checkpoint: truncated number; restart the export from the beginning");
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

std::string HexDecode(std::string_view hex) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int high = digit(hex[i]);
    int low = digit(hex[i + 1]);
    if (high < 0 || low < 0) break;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  if (bytes.size() * 2 != hex.size()) {
    throw InvalidInput("invalid Parquet writer checkpoint: not hex text; restart the export from the beginning");
  }
  return bytes;
}

void ValidateOptions(const ParquetWriteOptions& options) {
  if (options.page_bytes == 0) throw InvalidOption("invalid Parquet page size 0: use a size such as 1MB");
  if (options.row_group_bytes == 0) {
    throw InvalidOption("invalid Parquet row group size 0: use a size such as 64MB");
  }
}

}  // namespace

ParquetWriter::ParquetWriter(const ParquetWriteOptions& options)
    : options_(options),
      compressor_(std::make_unique<parquet::PageCompressor>(parquet::ParseCodec(options.codec),
                                                            options.compression_level)) {
  ValidateOptions(options_);
}

ParquetWriter::ParquetWriter(const ParquetWriteOptions& options, std::string_view state)
    : ParquetWriter(options) {
  load_state(state);
}

void ParquetWriter::load_state(std::string_view hex_state) {
  std::string bytes = HexDecode(hex_state);
  std::string_view state = bytes;
  if (state.substr(0, kStateTag.size()) != kStateTag) {
    throw InvalidInput("invalid Parquet writer checkpoint: missing tag; restart the export from the beginning");
  }
  size_t pos = kStateTag.size();
  if (ReadVarint(state, pos) != kStateVersion) {
    throw InvalidInput("invalid Parquet writer checkpoint: unknown version; restart the export from the beginning");
  }
  file_offset_ = ReadVarint(state, pos);
  total_rows_ = ReadVarint(state, pos);
  restored_fingerprint_ = ReadVarint(state, pos);
  row_groups_ = parquet::DecodeRowGroups(state.substr(pos));
  restored_ = true;
}

ParquetWriter::~ParquetWriter() {
  if (memory_ != nullptr) memory_->clear_relief(this);
}

uint64_t ParquetWriter::schema_fingerprint() const {
  // FNV-1a over names and type names, to catch a checkpoint restored against another schema.
  uint64_t hash = 0xcbf29ce484222325ULL;
  auto mix = [&hash](std::string_view text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
    hash = (hash ^ 0xFF) * 0x100000001b3ULL;
  };
  for (const Field& field : schema_) {
    mix(field.name);
    mix(TypeName(field.type));
    mix(field.nullable ? "null" : "not null");
  }
  return hash;
}

void ParquetWriter::write(std::string_view bytes) {
  sink_->write(bytes);
  file_offset_ += bytes.size();
}

void ParquetWriter::begin(const Schema& schema, ByteSink& sink) {
  BusyScope busy(busy_);
  schema_ = schema;
  sink_ = &sink;

  // Each column keeps an open page and a dictionary whose buffers stay
  // allocated between pages, so a wide schema gets smaller ones: together
  // they stay within about half the row group budget.
  // Under a memory limit smaller than twice the row group size, half the
  // limit takes the row group size's place. The other half stays for input
  // batches and upload parts, which the same thread may need to go on.
  row_group_budget_ = options_.row_group_bytes;
  if (memory_ != nullptr) row_group_budget_ = std::min(row_group_budget_, memory_->limit() / 2);
  uint64_t per_column = row_group_budget_ / (2 * std::max<size_t>(1, schema_.size()));
  uint64_t floor = std::min<uint64_t>(kMinColumnBufferBytes, options_.page_bytes);
  column_options_ = options_;
  column_options_.page_bytes = std::clamp<uint64_t>(per_column, floor, options_.page_bytes);
  column_options_.dictionary_page_bytes =
      std::min(options_.dictionary_page_bytes, std::max<uint64_t>(per_column, kMinColumnBufferBytes));
  for (const Field& field : schema_) {
    columns_.push_back(std::make_unique<parquet::ColumnChunkWriter>(field, column_options_, *compressor_));
  }
  // A restored writer adds up its row groups as the original writer did,
  // one at a time, so both estimate the same size.
  footer_bytes_ = footer_bytes_without_row_groups();
  last_group_footer_bytes_ = 0;
  for (size_t i = 0; i < row_groups_.size(); ++i) {
    std::string encoded;
    parquet::EncodeRowGroups(std::vector<parquet::RowGroup>(row_groups_.begin() + i, row_groups_.begin() + i + 1),
                             encoded);
    footer_bytes_ += encoded.size();
    last_group_footer_bytes_ = encoded.size();
  }
  if (restored_) {
    if (restored_fingerprint_ != schema_fingerprint()) {
      throw InvalidInput("Parquet writer checkpoint was taken with another schema: restart the export from the beginning");
    }
    return;
  }
  write(kMagic);
}

void ParquetWriter::set_memory_governor(MemoryGovernor* memory) {
  memory_ = memory;
  reservation_ = memory_ != nullptr ? memory_->reserve(0, "Parquet row group buffers (--row-group-size)")
                                    : MemoryReservation();
  if (memory_ != nullptr) memory_->set_relief(this, [this] { relieve_memory(); });
}

void ParquetWriter::relieve_memory() {
  if (busy_ || sink_ == nullptr) return;
  flush_for_memory();
}

void ParquetWriter::reserve_buffers(uint64_t extra) {
  if (memory_ == nullptr) return;
  uint64_t needed = held_bytes() + extra;
  if (needed <= reservation_.bytes()) return;
  // Reserve in steps of 1 MiB, so small batches do not each take the lock.
  constexpr uint64_t kStep = 1 << 20;
  uint64_t rounded = (needed + kStep - 1) / kStep * kStep;
  if (reservation_.try_resize(rounded) || reservation_.try_resize(needed)) return;
  flush_for_memory();
  // To go on, the writer needs room for at least one more batch.
  needed = held_bytes() + std::max(extra, last_batch_growth_);
  reservation_.resize(needed);  // waits for other holders; throws when the breaker trips
}

void ParquetWriter::flush_for_memory() {
  if (rows_in_group_ > 0) ++memory_flushes_;
  flush_row_group();
  for (auto& column : columns_) column->release_memory();
  ReleaseFreedMemory();
  reservation_.resize(std::min(reservation_.bytes(), held_bytes()));
}

uint64_t ParquetWriter::memory_bytes() const {
  uint64_t total = 0;
  for (const auto& column : columns_) total += column->buffered_bytes();
  return total;
}

uint64_t ParquetWriter::held_bytes() const {
  uint64_t total = 0;
  for (const auto& column : columns_) total += column->held_bytes();
  return total;
}

uint64_t ParquetWriter::buffered_bytes() const {
  uint64_t total = 0;
  for (const auto& column : columns_) total += column->pending_bytes();
  return total;
}

uint64_t ParquetWriter::pending_output_bytes() const {
  // The open row group adds its own entry to the footer: about as large as
  // the last group's, or for the first group an allowance per column chunk
  // (offsets, sizes, encodings and min/max statistics).
  uint64_t open_group = 0;
  if (rows_in_group_ > 0) {
    open_group = last_group_footer_bytes_ > 0 ? last_group_footer_bytes_ : 256 * columns_.size();
  }
  // The footer is followed by its 4-byte length and the magic.
  return buffered_bytes() + footer_bytes_ + open_group + 4 + kMagic.size();
}

bool ParquetWriter::flush_buffered() {
  BusyScope busy(busy_);
  if (rows_in_group_ == 0) return false;
  flush_row_group();
  return true;
}

parquet::FileMetaData ParquetWriter::footer_without_row_groups() const {
  parquet::FileMetaData metadata;
  metadata.version = 2;
  metadata.schema = parquet::FileSchema(schema_);
  metadata.num_rows = static_cast<int64_t>(total_rows_);
  metadata.created_by = std::string("sluice version ") + SLUICE_VERSION;
  metadata.type_defined_column_order = true;
  return metadata;
}

uint64_t ParquetWriter::footer_bytes_without_row_groups() const {
  // Encoded with a row count of 0, so a restored writer gets the same size.
  // The count's varint then grows by at most 9 bytes.
  parquet::FileMetaData metadata = footer_without_row_groups();
  metadata.num_rows = 0;
  std::string encoded;
  parquet::EncodeFileMetaData(metadata, encoded);
  return encoded.size() + 9;
}

void ParquetWriter::restore(const Schema& schema, ByteSink& sink, const std::string& state) {
  BusyScope busy(busy_);
  load_state(state);
  begin(schema, sink);
}

void ParquetWriter::write_batch(const Batch& batch) {
  BusyScope busy(busy_);
  size_t rows = batch.num_rows();
  size_t begin = 0;
  while (begin < rows) {
    size_t end = rows;
    if (options_.row_group_rows > 0) {
      end = std::min<uint64_t>(rows, begin + (options_.row_group_rows - rows_in_group_));
    }
    reserve_buffers(last_batch_growth_);
    // Growth in encoded bytes, not in capacity: a buffer's first allocation
    // and the doublings of a hash table happen once, not with every batch.
    uint64_t encoded_before = buffered_bytes();
    for (size_t i = 0; i < columns_.size(); ++i) columns_[i]->write(batch.column(i), begin, end);
    rows_in_group_ += end - begin;
    uint64_t encoded_after = buffered_bytes();
    last_batch_growth_ = encoded_after > encoded_before ? encoded_after - encoded_before : 0;
    reserve_buffers(0);

    bool full_by_rows = options_.row_group_rows > 0 && rows_in_group_ >= options_.row_group_rows;
    if (memory_ != nullptr && held_bytes() >= row_group_budget_) {
      flush_for_memory();
    } else if (full_by_rows || memory_bytes() >= options_.row_group_bytes) {
      flush_row_group();
    }
    begin = end;
  }
}

void ParquetWriter::flush_row_group() {
  if (rows_in_group_ == 0) return;
  parquet::RowGroup group;
  group.num_rows = static_cast<int64_t>(rows_in_group_);
  group.file_offset = static_cast<int64_t>(file_offset_);
  int64_t compressed = 0;
  for (auto& column : columns_) {
    parquet::ColumnChunk chunk = column->flush(*sink_, static_cast<int64_t>(file_offset_));
    // Each flushed column frees its pages; return their budget at once,
    // because the sink below may be waiting for room to take them.
    if (memory_ != nullptr) reservation_.resize(std::min(reservation_.bytes(), held_bytes()));
    file_offset_ += chunk.meta_data.total_compressed_size;
    compressed += chunk.meta_data.total_compressed_size;
    group.total_byte_size += chunk.meta_data.total_uncompressed_size;
    group.columns.push_back(std::move(chunk));
  }
  group.total_compressed_size = compressed;
  if (row_groups_.size() <= INT16_MAX) group.ordinal = static_cast<int16_t>(row_groups_.size());
  row_groups_.push_back(std::move(group));
  // Encoded alone, the group carries a list header that the footer has only
  // once, so footer_bytes_ errs high by a few bytes per group.
  std::string encoded;
  parquet::EncodeRowGroups(std::vector<parquet::RowGroup>(row_groups_.end() - 1, row_groups_.end()), encoded);
  footer_bytes_ += encoded.size();
  last_group_footer_bytes_ = encoded.size();
  total_rows_ += rows_in_group_;
  rows_in_group_ = 0;
  ReleaseFreedMemory();  // the group's pages were tens of MiB
}

void ParquetWriter::finish() {
  BusyScope busy(busy_);
  flush_row_group();
  parquet::FileMetaData metadata = footer_without_row_groups();
  metadata.row_groups = std::move(row_groups_);

  std::string footer;
  parquet::EncodeFileMetaData(metadata, footer);
  row_groups_ = std::move(metadata.row_groups);
  auto length = static_cast<uint32_t>(footer.size());
  char length_bytes[4];
  std::memcpy(length_bytes, &length, 4);
  footer.append(length_bytes, 4);
  footer.append(kMagic);
  write(footer);
}

std::optional<std::string> ParquetWriter::checkpoint_state() {
  BusyScope busy(busy_);
  flush_row_group();
  std::string state(kStateTag);
  AppendVarint(kStateVersion, state);
  AppendVarint(file_offset_, state);
  AppendVarint(total_rows_, state);
  AppendVarint(schema_fingerprint(), state);
  parquet::EncodeRowGroups(row_groups_, state);
  return HexEncode(state);
}

std::unique_ptr<FormatWriter> MakeParquetWriter(const ExportOptions& options, MemoryGovernor* memory) {
  auto writer = std::make_unique<ParquetWriter>(options.parquet);
  writer->set_memory_governor(memory);
  return writer;
}

}  // namespace sluice
