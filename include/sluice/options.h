// Options of one export. Defaults are the documented ones in
// docs/configuration.md; sizes are bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sluice {

class MemoryGovernor;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

struct CsvReadOptions {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';             // equal to quote: a quote inside quotes is doubled
  bool header = true;            // the first row names the columns
  std::string schema;            // "name:type,..." overrides inference when set
  uint64_t sample_rows = 10000;  // rows read to infer column types
  bool infer_decimals = true;    // "1.10" becomes decimal(3,2) rather than float64
  std::string null_string;       // an unquoted field equal to this is null ("" by default)
};

enum class CsvQuoting { kMinimal, kAlways };

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  CsvQuoting quoting = CsvQuoting::kMinimal;
  bool header = true;
  std::string null_string;       // written unquoted for a null; strings equal to it are quoted
  std::string line_ending = "\n";
  bool byte_order_mark = false;  // a UTF-8 BOM at the start of the file
  std::string date_format;       // strftime-style; empty = ISO 8601 YYYY-MM-DD
  std::string timestamp_format;  // strftime-style with %f for microseconds; empty = ISO 8601
  bool formula_guard = false;    // prefix ' to text starting with = + - @ tab or CR
};

struct JsonWriteOptions {
  bool pretty = false;           // JSON array only: one row per line with indentation
};

// Parquet output. Memory held by the writer is about row_group_bytes (the
// compressed pages of the open row group) plus one open page per column.
struct ParquetWriteOptions {
  std::string codec = "snappy";          // snappy, gzip, zstd or none
  int compression_level = 0;             // 0 = the codec's default (gzip 1..9, zstd 1..22)
  uint64_t row_group_bytes = 64 * kMiB;  // a row group is closed once its buffered pages reach this
  uint64_t row_group_rows = 0;           // 0 = no row limit; otherwise at most this many rows
  uint64_t page_bytes = 1 * kMiB;        // a data page is closed once its encoded values reach this
  bool dictionary = true;                // RLE_DICTIONARY pages while the dictionary stays small
  uint64_t dictionary_page_bytes = 1 * kMiB;  // past this a column chunk continues in PLAIN
};

enum class EncryptionMode {
  kNone,
  kSluice,  // password-based AES-256-GCM container, see docs/encryption.md
  kAge,     // age v1: scrypt stanza from the password, or X25519 recipients
};

struct EncryptionOptions {
  EncryptionMode mode = EncryptionMode::kNone;

  // Secret: never logged and never written to a checkpoint, config or job record.
  std::string password;

  // age X25519 recipients ("age1..."); when set, age mode uses them instead of the password.
  std::vector<std::string> recipients;

  // scrypt cost for new files: N = 2^scrypt_log_n, memory about 128 * r * N bytes.
  // The default takes 32 MiB and about 0.1 s (docs/encryption.md lists measurements).
  int scrypt_log_n = 15;
  uint32_t scrypt_r = 8;
  uint32_t scrypt_p = 1;

  // Test-only: derives salts, nonce prefixes and age file keys from this seed
  // instead of the system CSPRNG, so output bytes are reproducible. Never set
  // it for real exports: equal seeds and passwords give equal keystreams.
  std::optional<uint64_t> test_seed;
};

enum class AvroCodec { kNull, kDeflate, kSnappy, kZstandard };

struct AvroWriteOptions {
  AvroCodec codec = AvroCodec::kDeflate;
  int codec_level = 0;                 // 0 = the codec's default; deflate 1..12, zstandard 1..22
  std::string record_name = "Row";     // name of the top-level record in a derived schema
  std::string record_namespace;        // namespace of that record; empty = none
  std::string schema_path;             // a .avsc file to write into instead of a derived schema
  uint64_t block_bytes = 64 * kKiB;    // a data block ends once its uncompressed size reaches this
  // The 16-byte sync marker is derived from this seed when set, else from
  // export_id (see MakeAvroSyncMarker). It is random only when both are unset.
  std::optional<uint64_t> sync_marker_seed;
};

enum class XlsxOverflow { kNewSheet, kError };

struct XlsxWriteOptions {
  std::string sheet_name;              // empty = "Sheet1", "Sheet2", ...
  XlsxOverflow overflow = XlsxOverflow::kNewSheet;  // past max_rows: continue or fail
  bool formula_guard = true;           // prefix ' to text starting with = + - @ tab or CR
  bool large_int64_as_numbers = false; // int64 beyond +-2^53 as (rounded) numbers, not text
  // Excel's limits; smaller values are for tests.
  uint64_t max_rows = 1048576;         // rows per sheet, header included
  uint64_t max_columns = 16384;
  uint64_t max_text_units = 32767;     // UTF-16 code units per cell
};

// Uploads to object storage (s3://, azure://, gs:// destinations). Secrets
// never live here: credentials come from the environment or credential files.
struct CloudOptions {
  std::string endpoint;               // S3-compatible endpoint URL; empty = AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or AWS
  std::string region;                 // S3 region; empty = AWS_REGION, AWS_DEFAULT_REGION, the profile, or us-east-1
  bool path_style = false;            // S3 URLs as ENDPOINT/BUCKET/KEY instead of BUCKET.ENDPOINT/KEY
  std::string profile;                // shared credentials file profile; empty = AWS_PROFILE or "default"
  uint64_t part_bytes = 8 * kMiB;     // first part, block or chunk size; grows for very large uploads
  int max_concurrency = 4;            // parts or blocks uploading at once; memory is about part_bytes * (this + 1)
  int max_attempts = 5;               // tries per request, including the first
  int stall_timeout_seconds = 60;     // a request that moves no byte for this long is retried
};

struct ExportOptions {
  // Source: a file path, "sqlite:PATH?table=T", "sqlite:PATH?query=SQL",
  // "postgresql://...?query=SQL" or "gen:rows=N".
  std::string source;
  std::string input_format;      // csv, ndjson or json; empty = from the file extension

  // Destination: a file path, or "-" for standard output.
  std::string destination;
  std::string format;            // csv, json or ndjson; empty = from the destination's extension
  std::string compression;       // none, gzip or zstd; empty = from the extension (.gz, .zst)
  int compression_level = 0;     // 0 = the codec's default

  uint64_t chunk_bytes = 1 * kMiB;        // 8 KiB to 4 MiB
  uint64_t memory_limit = 500 * kMiB;
  // How long a buffer waits for memory held by others before the export
  // fails with a memory-limit error (the circuit breaker).
  uint64_t memory_grace_ms = 10000;
  uint64_t max_file_bytes = 20 * kGiB;    // larger outputs are split into parts
  bool skip_bad_rows = false;             // drop malformed rows and count them

  CsvReadOptions csv_read;
  CsvWriteOptions csv_write;
  JsonWriteOptions json_write;
  ParquetWriteOptions parquet;
  EncryptionOptions encryption;
  AvroWriteOptions avro_write;
  XlsxWriteOptions xlsx_write;
  CloudOptions cloud;

  std::string export_id;         // empty = a new random id

  // Job store directory (see docs/resume.md). Empty: the export keeps no
  // record and cannot be resumed or cancelled from another process.
  std::string state_dir;
  // Input read between checkpoints, rounded down to whole chunks (at least
  // one). At each checkpoint a gzip member or zstd frame ends and, with a
  // job store, the output is fsynced. 0 = no checkpoints.
  uint64_t checkpoint_bytes = 32 * kMiB;
  // Resume even when the source's size, modification time, first bytes or
  // row count differ from when the export started.
  bool allow_changed_source = false;

  // A budget shared with other exports, such as a server's; the export's own
  // budget (memory_limit) counts against it too. Null: the export's budget is
  // the only limit. Not saved in the job store.
  MemoryGovernor* shared_memory = nullptr;
};

}  // namespace sluice
