// Flags of `sluice export` for Parquet output.
#include "cli/flag_values.h"
#include "cli/option_groups.h"
#include "formats/parquet/page_compressor.h"

namespace sluice::cli {

void AddParquetFlags(CLI::App& command, ExportOptions& options) {
  const std::string group = "Parquet output";
  command.add_option_function<std::string>(
             "--parquet-codec",
             [&options](const std::string& text) {
               parquet::ParseCodec(text);  // rejects an unknown name while parsing flags
               options.parquet.codec = text;
             },
             "Page compression: snappy, gzip, zstd or none (default snappy)")
      ->group(group);
  command.add_option("--parquet-level", options.parquet.compression_level,
                     "Compression level: gzip 1-9, zstd 1-22 (default 0: the codec's default)")
      ->group(group);
  command.add_option_function<std::string>(
             "--row-group-size",
             [&options](const std::string& text) {
               options.parquet.row_group_bytes = ParseSizeFlag("--row-group-size", text);
             },
             "Buffered size at which a row group is written, such as 64MB (default 64MB); "
             "the writer holds about this much memory")
      ->group(group);
  command.add_option("--row-group-rows", options.parquet.row_group_rows,
                     "Maximum rows per row group (default 0: no limit, only --row-group-size)")
      ->group(group);
  command.add_option_function<std::string>(
             "--page-size",
             [&options](const std::string& text) {
               options.parquet.page_bytes = ParseSizeFlag("--page-size", text);
             },
             "Encoded size at which a data page ends (default 1MB)")
      ->group(group);
  command.add_flag_callback(
             "--no-dictionary", [&options] { options.parquet.dictionary = false; },
             "Write PLAIN pages only, without dictionary encoding")
      ->group(group);
}

}  // namespace sluice::cli
