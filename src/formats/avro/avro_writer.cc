// Values are encoded straight from the batch's column vectors into a block
// buffer. Avro C's generic value API needs over three times as long for 1M
// rows of 10 columns (numbers in docs/avro.md), and Debian's Avro C 1.11.1 has
// no zstandard codec, so the container framing is written here too.
#include "formats/avro/avro_writer.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/buffer_reservation.h"
#include "core/error.h"
#include "formats/avro/avro_block_codec.h"
#include "formats/avro/avro_encoding.h"
#include "formats/avro/avro_names.h"
#include "formats/avro/avro_resolution.h"
#include "formats/avro/avro_schema.h"
#include "formats/avro/avro_schema_derivation.h"

namespace sluice {

namespace {

using Json = nlohmann::ordered_json;

constexpr char kMagic[4] = {'O', 'b', 'j', 1};
constexpr uint64_t kMinBlockBytes = 1024;
constexpr uint64_t kMaxBlockBytes = 64 * kMiB;

Json ReadSchemaFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InvalidOption("cannot open the Avro schema file '" + path + "': check the path");
  std::stringstream text;
  text << file.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    throw InvalidOption("the Avro schema file '" + path + "' is not valid JSON: " + error.what());
  }
}

std::string HexEncode(const AvroSyncMarker& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (char byte : bytes) {
    hex += kHex[(static_cast<unsigned char>(byte) >> 4) & 0xF];
    hex += kHex[static_cast<unsigned char>(byte) & 0xF];
  }
  return hex;
}

struct RestoredState {
  AvroSyncMarker sync{};
  uint64_t rows = 0;
};

std::optional<RestoredState> ParseState(const std::string& state) {
  const std::string prefix = "avro1:";
  if (state.compare(0, prefix.size(), prefix) != 0 || state.size() < prefix.size() + 34 ||
      state[prefix.size() + 32] != ':') {
    return std::nullopt;
  }
  RestoredState restored;
  for (size_t i = 0; i < 16; ++i) {
    int value = 0;
    if (std::sscanf(state.c_str() + prefix.size() + 2 * i, "%2x", &value) != 1) return std::nullopt;
    restored.sync[i] = static_cast<char>(value);
  }
  std::string rows = state.substr(prefix.size() + 33);
  if (rows.empty() || rows.size() > 19 || rows.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  restored.rows = std::stoull(rows);
  return restored;
}

class AvroContainerWriter : public FormatWriter {
 public:
  AvroContainerWriter(const ExportOptions& options, MemoryGovernor* memory)
      : options_(options.avro_write),
        compressor_(MakeAvroBlockCompressor(options_.codec, options_.codec_level)),
        sync_(MakeAvroSyncMarker(options_, options.export_id)) {
    reservation_.set_governor(memory, 0);
    if (options_.block_bytes < kMinBlockBytes || options_.block_bytes > kMaxBlockBytes) {
      throw InvalidOption("invalid Avro block size " + std::to_string(options_.block_bytes) +
                         " bytes: use 1KB to 64MB");
    }
    if (!options_.schema_path.empty()) {
      origin_ = "'" + options_.schema_path + "'";
      target_ = AvroSchema::Parse(ReadSchemaFile(options_.schema_path), origin_);
    }
  }

  void begin(const Schema& schema, ByteSink& sink) override {
    bind(schema, sink);
    write_header();
  }

  // The state is "avro1:<sync marker in hex>:<rows written>". Blocks end with
  // each batch, so between batches nothing is buffered.
  std::optional<std::string> checkpoint_state() override {
    flush_block();
    return "avro1:" + HexEncode(sync_) + ":" + std::to_string(rows_written_);
  }

  void restore(const Schema& schema, ByteSink& sink, const std::string& state) override {
    std::optional<RestoredState> restored = ParseState(state);
    if (!restored) throw InvalidInput("invalid Avro checkpoint state '" + state + "': resume from another checkpoint");
    sync_ = restored->sync;
    rows_written_ = restored->rows;
    bind(schema, sink);
  }

  uint64_t buffered_bytes() const override { return block_.size(); }

  void write_batch(const Batch& batch) override {
    size_t rows = batch.num_rows();
    for (size_t row = 0; row < rows; ++row) {
      encode_row(batch, row);
      ++block_rows_;
      // A row's encoded size is known only now, so a long row is reserved
      // after it grew the block.
      reserve_buffers();
      if (block_.size() >= options_.block_bytes) flush_block();
    }
    rows_written_ += rows;
    // Ending a block with each batch keeps the writer's state at a chunk
    // boundary down to the sync marker and the bytes already written.
    flush_block();
  }

  void finish() override { flush_block(); }

 private:
  // Resolves the columns against the target schema and attaches the sink.
  void bind(const Schema& schema, ByteSink& sink) {
    sink_ = &sink;
    std::vector<std::string> column_names;
    for (const Field& field : schema) column_names.push_back(field.name);
    std::vector<std::string> avro_names = SanitizeAvroNames(column_names);

    if (options_.schema_path.empty()) {
      origin_ = "the derived schema";
      target_ = AvroSchema::Parse(DeriveAvroSchema(schema, avro_names, options_), origin_);
    }
    fields_ = ResolveAvroFields(schema, avro_names, target_, origin_);
    column_names_ = std::move(column_names);
    reservation_.cover(options_.block_bytes + options_.block_bytes / 4);
    block_.reserve(options_.block_bytes + options_.block_bytes / 4);
    reserve_buffers();
  }

  void reserve_buffers() { reservation_.cover(block_.capacity() + compressed_.capacity() + framed_.capacity()); }

  void write_header() {
    std::string header(kMagic, sizeof(kMagic));
    AppendAvroLong(header, 2);  // one map block with two entries
    AppendAvroBytes(header, "avro.schema");
    AppendAvroBytes(header, target_.json().dump());
    AppendAvroBytes(header, "avro.codec");
    AppendAvroBytes(header, AvroCodecName(options_.codec));
    AppendAvroLong(header, 0);  // end of the map
    header.append(sync_.data(), sync_.size());
    sink_->write(header);
  }

  [[noreturn]] void reject_null(const AvroFieldPlan& field, size_t row) const {
    throw InvalidInput("column '" + column_names_[field.column] + "' is null in row " +
                       std::to_string(rows_written_ + row + 1) + " but field '" + field.name + "' in " + origin_ +
                       " cannot hold null: make its type a union with \"null\"");
  }

  void encode_row(const Batch& batch, size_t row) {
    for (const AvroFieldPlan& field : fields_) {
      if (field.column < 0) {
        block_ += field.default_bytes;
        continue;
      }
      const Column& column = batch.column(field.column);
      if (column.is_null(row)) {
        if (field.null_branch < 0) reject_null(field, row);
        AppendAvroLong(block_, field.null_branch);
        continue;
      }
      if (field.in_union) AppendAvroLong(block_, field.value_branch);
      encode_value(field, column, row);
    }
  }

  void encode_value(const AvroFieldPlan& field, const Column& column, size_t row) {
    switch (field.encoding) {
      case AvroEncoding::kBoolean:
        block_ += column.bool_at(row) ? '\1' : '\0';
        return;
      case AvroEncoding::kLong:
        AppendAvroLong(block_, column.int64_at(row));
        return;
      case AvroEncoding::kLongAsFloat:
        AppendAvroFloat(block_, static_cast<float>(column.int64_at(row)));
        return;
      case AvroEncoding::kLongAsDouble:
        AppendAvroDouble(block_, static_cast<double>(column.int64_at(row)));
        return;
      case AvroEncoding::kDouble:
        AppendAvroDouble(block_, column.double_at(row));
        return;
      case AvroEncoding::kDateAsInt: {
        int64_t days = column.int64_at(row);
        if (days < INT32_MIN || days > INT32_MAX) {
          throw InvalidInput("date in column '" + column_names_[field.column] + "', row " +
                             std::to_string(rows_written_ + row + 1) + ", is outside the Avro date range");
        }
        AppendAvroLong(block_, days);
        return;
      }
      case AvroEncoding::kMicrosAsMillis: {
        int64_t micros = column.int64_at(row);
        int64_t millis = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
        AppendAvroLong(block_, millis);
        return;
      }
      case AvroEncoding::kBytes:
        AppendAvroBytes(block_, column.bytes_at(row));
        return;
      case AvroEncoding::kDecimalBytes:
        AppendAvroDecimalBytes(block_, column.decimal_at(row));
        return;
      case AvroEncoding::kDecimalFixed:
        AppendAvroDecimalFixed(block_, column.decimal_at(row), field.fixed_size);
        return;
    }
  }

  void flush_block() {
    if (block_rows_ == 0) return;
    compressor_->compress(block_, compressed_);

    framed_.clear();
    AppendAvroLong(framed_, static_cast<int64_t>(block_rows_));
    AppendAvroLong(framed_, static_cast<int64_t>(compressed_.size()));
    framed_ += compressed_;
    framed_.append(sync_.data(), sync_.size());
    sink_->write(framed_);
    reserve_buffers();

    block_.clear();
    block_rows_ = 0;
  }

  AvroWriteOptions options_;
  std::unique_ptr<AvroBlockCompressor> compressor_;
  AvroSyncMarker sync_;
  std::string origin_;
  AvroSchema target_;
  std::vector<AvroFieldPlan> fields_;
  std::vector<std::string> column_names_;
  ByteSink* sink_ = nullptr;

  std::string block_;       // encoded rows of the open block, uncompressed
  std::string compressed_;
  std::string framed_;      // count, size, data and sync of one block
  BufferReservation reservation_{"Avro block buffers (--avro-block-size)"};  // covers the three above
  uint64_t block_rows_ = 0;
  uint64_t rows_written_ = 0;
};

}  // namespace

AvroSyncMarker MakeAvroSyncMarker(const AvroWriteOptions& options, const std::string& export_id) {
  AvroSyncMarker marker{};
  std::string input = "sluice-avro-sync:";
  if (options.sync_marker_seed) {
    input += std::to_string(*options.sync_marker_seed);
  } else if (!export_id.empty()) {
    input += export_id;
  } else {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(marker.data()), static_cast<int>(marker.size())) != 1) {
      throw IOError("the system random generator failed while drawing an Avro sync marker");
    }
    return marker;
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  std::copy(digest, digest + marker.size(), marker.begin());
  return marker;
}

std::unique_ptr<FormatWriter> MakeAvroWriter(const ExportOptions& options, MemoryGovernor* memory) {
  return std::make_unique<AvroContainerWriter>(options, memory);
}

}  // namespace sluice
