// Flags of `sluice export` for Avro output.
#include "cli/flag_values.h"
#include "cli/option_groups.h"
#include "formats/avro/avro_block_codec.h"

namespace sluice::cli {

void AddAvroFlags(CLI::App& command, ExportOptions& options) {
  const std::string group = "Avro output";
  command.add_option_function<std::string>(
             "--avro-codec",
             [&options](const std::string& text) { options.avro_write.codec = ParseAvroCodec(text); },
             "Block codec: null, deflate, snappy or zstandard (default deflate)")
      ->group(group);
  command.add_option("--avro-codec-level", options.avro_write.codec_level,
                     "Codec level: deflate 1-12, zstandard 1-22 (default 0: the codec's default)")
      ->group(group);
  command.add_option("--avro-record-name", options.avro_write.record_name,
                     "Name of the record in the derived schema (default Row)")
      ->group(group);
  command.add_option("--avro-namespace", options.avro_write.record_namespace,
                     "Namespace of the record in the derived schema, such as com.example (default none)")
      ->group(group);
  command.add_option("--avro-schema", options.avro_write.schema_path,
                     "Write into the record schema in this .avsc file instead of deriving one")
      ->group(group);
  command.add_option_function<std::string>(
             "--avro-block-size",
             [&options](const std::string& text) {
               options.avro_write.block_bytes = ParseSizeFlag("--avro-block-size", text);
             },
             "Uncompressed size at which a data block ends, 1KB to 64MB (default 64KB)")
      ->group(group);
  command.add_option_function<uint64_t>(
             "--avro-sync-seed",
             [&options](uint64_t seed) { options.avro_write.sync_marker_seed = seed; },
             "Derive the 16-byte sync marker from this number (default: from the export id)")
      ->group(group);
}

}  // namespace sluice::cli
