#include "pipeline/options_json.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sluice {

namespace {

using Json = nlohmann::json;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Drops "password=..." from the '&'-separated parameters after '?'.
std::string WithoutPasswordParameter(const std::string& source) {
  size_t question = source.find('?');
  if (question == std::string::npos) return source;
  std::string kept;
  size_t start = question + 1;
  while (start <= source.size()) {
    size_t end = source.find('&', start);
    if (end == std::string::npos) end = source.size();
    std::string pair = source.substr(start, end - start);
    if (!pair.empty() && !StartsWith(pair, "password=")) kept += (kept.empty() ? "" : "&") + pair;
    start = end + 1;
  }
  return source.substr(0, question) + (kept.empty() ? "" : "?" + kept);
}

template <typename T>
void Read(const Json& json, const char* key, T& value) {
  if (json.contains(key)) value = json.at(key).get<T>();
}

Json CsvReadToJson(const CsvReadOptions& o) {
  return {{"delimiter", std::string(1, o.delimiter)}, {"quote", std::string(1, o.quote)},
          {"escape", std::string(1, o.escape)},       {"header", o.header},
          {"schema", o.schema},                       {"sampleRows", o.sample_rows},
          {"inferDecimals", o.infer_decimals},        {"nullString", o.null_string}};
}

Json CsvWriteToJson(const CsvWriteOptions& o) {
  return {{"delimiter", std::string(1, o.delimiter)},
          {"quote", std::string(1, o.quote)},
          {"quoting", o.quoting == CsvQuoting::kAlways ? "always" : "minimal"},
          {"header", o.header},
          {"nullString", o.null_string},
          {"lineEnding", o.line_ending},
          {"byteOrderMark", o.byte_order_mark},
          {"dateFormat", o.date_format},
          {"timestampFormat", o.timestamp_format},
          {"formulaGuard", o.formula_guard}};
}

Json ParquetToJson(const ParquetWriteOptions& o) {
  return {{"codec", o.codec},
          {"compressionLevel", o.compression_level},
          {"rowGroupBytes", o.row_group_bytes},
          {"rowGroupRows", o.row_group_rows},
          {"pageBytes", o.page_bytes},
          {"dictionary", o.dictionary},
          {"dictionaryPageBytes", o.dictionary_page_bytes}};
}

Json EncryptionToJson(const EncryptionOptions& o) {
  Json json = {{"mode", static_cast<int>(o.mode)},
               {"recipients", o.recipients},
               {"scryptLogN", o.scrypt_log_n},
               {"scryptR", o.scrypt_r},
               {"scryptP", o.scrypt_p}};
  if (o.test_seed) json["testSeed"] = *o.test_seed;
  return json;
}

Json AvroToJson(const AvroWriteOptions& o) {
  Json json = {{"codec", static_cast<int>(o.codec)},   {"codecLevel", o.codec_level},
               {"recordName", o.record_name},          {"recordNamespace", o.record_namespace},
               {"schemaPath", o.schema_path},          {"blockBytes", o.block_bytes}};
  if (o.sync_marker_seed) json["syncMarkerSeed"] = *o.sync_marker_seed;
  return json;
}

Json XlsxToJson(const XlsxWriteOptions& o) {
  return {{"sheetName", o.sheet_name},
          {"overflow", o.overflow == XlsxOverflow::kError ? "error" : "new-sheet"},
          {"formulaGuard", o.formula_guard},
          {"largeInt64AsNumbers", o.large_int64_as_numbers},
          {"maxRows", o.max_rows},
          {"maxColumns", o.max_columns},
          {"maxTextUnits", o.max_text_units}};
}

Json CloudToJson(const CloudOptions& o) {
  return {{"endpoint", o.endpoint},         {"region", o.region},
          {"pathStyle", o.path_style},      {"profile", o.profile},
          {"partBytes", o.part_bytes},      {"maxConcurrency", o.max_concurrency},
          {"maxAttempts", o.max_attempts},  {"stallTimeoutSeconds", o.stall_timeout_seconds}};
}

void CloudFromJson(const Json& json, CloudOptions& o) {
  Read(json, "endpoint", o.endpoint);
  Read(json, "region", o.region);
  Read(json, "pathStyle", o.path_style);
  Read(json, "profile", o.profile);
  Read(json, "partBytes", o.part_bytes);
  Read(json, "maxConcurrency", o.max_concurrency);
  Read(json, "maxAttempts", o.max_attempts);
  Read(json, "stallTimeoutSeconds", o.stall_timeout_seconds);
}

char ReadChar(const Json& json, const char* key, char fallback) {
  if (!json.contains(key)) return fallback;
  std::string text = json.at(key).get<std::string>();
  return text.empty() ? fallback : text[0];
}

void CsvReadFromJson(const Json& json, CsvReadOptions& o) {
  o.delimiter = ReadChar(json, "delimiter", o.delimiter);
  o.quote = ReadChar(json, "quote", o.quote);
  o.escape = ReadChar(json, "escape", o.escape);
  Read(json, "header", o.header);
  Read(json, "schema", o.schema);
  Read(json, "sampleRows", o.sample_rows);
  Read(json, "inferDecimals", o.infer_decimals);
  Read(json, "nullString", o.null_string);
}

void CsvWriteFromJson(const Json& json, CsvWriteOptions& o) {
  o.delimiter = ReadChar(json, "delimiter", o.delimiter);
  o.quote = ReadChar(json, "quote", o.quote);
  if (json.contains("quoting")) {
    o.quoting = json.at("quoting") == "always" ? CsvQuoting::kAlways : CsvQuoting::kMinimal;
  }
  Read(json, "header", o.header);
  Read(json, "nullString", o.null_string);
  Read(json, "lineEnding", o.line_ending);
  Read(json, "byteOrderMark", o.byte_order_mark);
  Read(json, "dateFormat", o.date_format);
  Read(json, "timestampFormat", o.timestamp_format);
  Read(json, "formulaGuard", o.formula_guard);
}

void ParquetFromJson(const Json& json, ParquetWriteOptions& o) {
  Read(json, "codec", o.codec);
  Read(json, "compressionLevel", o.compression_level);
  Read(json, "rowGroupBytes", o.row_group_bytes);
  Read(json, "rowGroupRows", o.row_group_rows);
  Read(json, "pageBytes", o.page_bytes);
  Read(json, "dictionary", o.dictionary);
  Read(json, "dictionaryPageBytes", o.dictionary_page_bytes);
}

void EncryptionFromJson(const Json& json, EncryptionOptions& o) {
  if (json.contains("mode")) o.mode = static_cast<EncryptionMode>(json.at("mode").get<int>());
  Read(json, "recipients", o.recipients);
  Read(json, "scryptLogN", o.scrypt_log_n);
  Read(json, "scryptR", o.scrypt_r);
  Read(json, "scryptP", o.scrypt_p);
  if (json.contains("testSeed")) o.test_seed = json.at("testSeed").get<uint64_t>();
}

void AvroFromJson(const Json& json, AvroWriteOptions& o) {
  if (json.contains("codec")) o.codec = static_cast<AvroCodec>(json.at("codec").get<int>());
  Read(json, "codecLevel", o.codec_level);
  Read(json, "recordName", o.record_name);
  Read(json, "recordNamespace", o.record_namespace);
  Read(json, "schemaPath", o.schema_path);
  Read(json, "blockBytes", o.block_bytes);
  if (json.contains("syncMarkerSeed")) o.sync_marker_seed = json.at("syncMarkerSeed").get<uint64_t>();
}

void XlsxFromJson(const Json& json, XlsxWriteOptions& o) {
  Read(json, "sheetName", o.sheet_name);
  if (json.contains("overflow")) {
    o.overflow = json.at("overflow") == "error" ? XlsxOverflow::kError : XlsxOverflow::kNewSheet;
  }
  Read(json, "formulaGuard", o.formula_guard);
  Read(json, "largeInt64AsNumbers", o.large_int64_as_numbers);
  Read(json, "maxRows", o.max_rows);
  Read(json, "maxColumns", o.max_columns);
  Read(json, "maxTextUnits", o.max_text_units);
}

std::string Absolute(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

}  // namespace

ExportOptions WithAbsolutePaths(const ExportOptions& options) {
  ExportOptions result = options;
  const std::string& source = options.source;
  bool remote = StartsWith(source, "gen:") || StartsWith(source, "postgresql://") ||
                StartsWith(source, "postgres://");
  if (StartsWith(source, "sqlite:")) {
    size_t question = source.find('?');
    std::string path = source.substr(7, question == std::string::npos ? std::string::npos : question - 7);
    result.source = "sqlite:" + Absolute(path) + (question == std::string::npos ? "" : source.substr(question));
  } else if (!remote) {
    result.source = Absolute(source);
  }
  bool stream = options.destination == "-" || options.destination.find("://") != std::string::npos;
  if (!stream) result.destination = Absolute(options.destination);
  result.avro_write.schema_path = Absolute(options.avro_write.schema_path);
  return result;
}

std::string SourceWithoutPassword(const std::string& source) {
  if (!StartsWith(source, "postgresql://") && !StartsWith(source, "postgres://")) return source;
  std::string result = WithoutPasswordParameter(source);
  size_t authority = result.find("://") + 3;
  size_t at = result.find('@', authority);
  size_t slash = result.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return result;
  size_t colon = result.find(':', authority);
  if (colon == std::string::npos || colon > at) return result;
  return result.substr(0, colon) + result.substr(at);
}

std::string OptionsToJson(const ExportOptions& options) {
  Json json = {
      {"source", SourceWithoutPassword(options.source)},
      {"inputFormat", options.input_format},
      {"destination", options.destination},
      {"format", options.format},
      {"compression", options.compression},
      {"compressionLevel", options.compression_level},
      {"chunkBytes", options.chunk_bytes},
      {"memoryLimit", options.memory_limit},
      {"maxFileBytes", options.max_file_bytes},
      {"skipBadRows", options.skip_bad_rows},
      {"csvRead", CsvReadToJson(options.csv_read)},
      {"csvWrite", CsvWriteToJson(options.csv_write)},
      {"jsonWrite", {{"pretty", options.json_write.pretty}}},
      {"parquet", ParquetToJson(options.parquet)},
      {"encryption", EncryptionToJson(options.encryption)},
      {"avroWrite", AvroToJson(options.avro_write)},
      {"xlsxWrite", XlsxToJson(options.xlsx_write)},
      {"cloud", CloudToJson(options.cloud)},
      {"exportId", options.export_id},
      {"checkpointBytes", options.checkpoint_bytes},
  };
  return json.dump();
}

ExportOptions OptionsFromJson(const std::string& text) {
  ExportOptions options;
  try {
    Json json = Json::parse(text);
    Read(json, "source", options.source);
    Read(json, "inputFormat", options.input_format);
    Read(json, "destination", options.destination);
    Read(json, "format", options.format);
    Read(json, "compression", options.compression);
    Read(json, "compressionLevel", options.compression_level);
    Read(json, "chunkBytes", options.chunk_bytes);
    Read(json, "memoryLimit", options.memory_limit);
    Read(json, "maxFileBytes", options.max_file_bytes);
    Read(json, "skipBadRows", options.skip_bad_rows);
    if (json.contains("csvRead")) CsvReadFromJson(json.at("csvRead"), options.csv_read);
    if (json.contains("csvWrite")) CsvWriteFromJson(json.at("csvWrite"), options.csv_write);
    if (json.contains("jsonWrite")) Read(json.at("jsonWrite"), "pretty", options.json_write.pretty);
    if (json.contains("parquet")) ParquetFromJson(json.at("parquet"), options.parquet);
    if (json.contains("encryption")) EncryptionFromJson(json.at("encryption"), options.encryption);
    if (json.contains("avroWrite")) AvroFromJson(json.at("avroWrite"), options.avro_write);
    if (json.contains("xlsxWrite")) XlsxFromJson(json.at("xlsxWrite"), options.xlsx_write);
    if (json.contains("cloud")) CloudFromJson(json.at("cloud"), options.cloud);
    Read(json, "exportId", options.export_id);
    Read(json, "checkpointBytes", options.checkpoint_bytes);
  } catch (const nlohmann::json::exception& error) {
    throw InvalidInput(std::string("invalid export options in the job store: ") + error.what());
  }
  return options;
}

}  // namespace sluice
