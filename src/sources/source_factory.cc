#include "sources/source_factory.h"

#include <algorithm>
#include <map>

#include "core/error.h"
#include "sources/csv_source.h"
#include "sources/generator_source.h"
#include "sources/json_source.h"
#include "sources/parquet_source.h"
#include "sources/postgres_source.h"
#include "sources/sqlite_source.h"

namespace sluice {

namespace {

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes and '+' (a space in query strings).
std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 && HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else if (text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Splits "a=1&b=2" into decoded key-value pairs.
std::map<std::string, std::string> ParseQuery(const std::string& query) {
  std::map<std::string, std::string> parameters;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      std::string key = PercentDecode(pair.substr(0, equals));
      parameters[key] = equals == std::string::npos ? "" : PercentDecode(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return parameters;
}

uint64_t ParseCount(const std::string& text, const std::string& what) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw InvalidOption("invalid " + what + " '" + text + "': use a whole number, for example gen:rows=1000");
  }
  try {
    return std::stoull(text);
  } catch (const std::out_of_range&) {
    throw InvalidOption("invalid " + what + " '" + text + "': the number is too large");
  }
}

std::unique_ptr<Source> OpenGenerator(const std::string& source, const ExportOptions& options) {
  std::map<std::string, std::string> parameters = ParseQuery(source.substr(4));
  for (const auto& [key, value] : parameters) {
    if (key != "rows" && key != "seed") {
      throw InvalidOption("unknown generator parameter '" + key + "' in '" + source +
                          "': use gen:rows=N or gen:rows=N&seed=S");
    }
  }
  if (parameters.count("rows") == 0) {
    throw InvalidOption("missing row count in '" + source + "': use gen:rows=N");
  }
  uint64_t rows = ParseCount(parameters["rows"], "generator row count");
  uint64_t seed = parameters.count("seed") ? ParseCount(parameters["seed"], "generator seed") : 1;
  return std::make_unique<GeneratorSource>(rows, seed, options);
}

// "sqlite:PATH?table=T" or "sqlite:PATH?query=SQL".
std::unique_ptr<Source> OpenSqlite(const std::string& source, const ExportOptions& options) {
  std::string rest = source.substr(7);
  size_t question = rest.find('?');
  std::string path = rest.substr(0, question);
  std::map<std::string, std::string> parameters =
      question == std::string::npos ? std::map<std::string, std::string>{} : ParseQuery(rest.substr(question + 1));
  for (const auto& [key, value] : parameters) {
    if (key != "table" && key != "query") {
      throw InvalidOption("unknown SQLite source parameter '" + key +
                          "': use sqlite:PATH?table=T or sqlite:PATH?query=SQL");
    }
  }
  if (path.empty() || parameters.count("table") == parameters.count("query")) {
    throw InvalidOption("invalid SQLite source '" + source +
                        "': give a path and exactly one of table or query, "
                        "as in sqlite:shop.db?table=orders");
  }
  return std::make_unique<SqliteSource>(path, parameters["table"], parameters["query"], options);
}

// "postgresql://user@host:port/db?query=SQL[&other libpq parameters]": the
// query parameter is taken out and the rest is handed to libpq as a URI.
std::unique_ptr<Source> OpenPostgres(const std::string& source, const ExportOptions& options) {
  size_t question = source.find('?');
  std::string base = source.substr(0, question);
  std::string query;
  std::string kept;
  if (question != std::string::npos) {
    std::string parameters = source.substr(question + 1);
    size_t start = 0;
    while (start <= parameters.size()) {
      size_t end = parameters.find('&', start);
      if (end == std::string::npos) end = parameters.size();
      std::string pair = parameters.substr(start, end - start);
      if (pair.rfind("query=", 0) == 0) {
        query = PercentDecode(pair.substr(6));
      } else if (!pair.empty()) {
        kept += (kept.empty() ? "" : "&") + pair;
      }
      start = end + 1;
    }
  }
  if (query.empty()) {
    throw InvalidOption("missing query in the PostgreSQL source: add ?query=SQL (URL-encoded), "
                        "as in postgresql://me@localhost/shop?query=SELECT%20*%20FROM%20orders");
  }
  std::string conninfo = kept.empty() ? base : base + "?" + kept;
  return std::make_unique<PostgresSource>(conninfo, query, options);
}

std::unique_ptr<Source> OpenFile(const std::string& path, const ExportOptions& options, MemoryGovernor* memory) {
  std::string format = options.input_format.empty() ? InputFormatFromPath(path) : options.input_format;
  if (format.empty()) {
    throw InvalidOption("cannot tell the format of '" + path +
                        "' from its extension: pass --input-format csv, ndjson, json or parquet");
  }
  if (format == "csv" || format == "tsv") {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* compressed : {".gz", ".zst"}) {
      if (EndsWith(lower, compressed)) lower.resize(lower.size() - std::string(compressed).size());
    }
    if ((format == "tsv" || EndsWith(lower, ".tsv")) && options.csv_read.delimiter == ',') {
      ExportOptions tab_separated = options;
      tab_separated.csv_read.delimiter = '\t';
      return std::make_unique<CsvSource>(path, tab_separated, kCsvBlockBytes, memory);
    }
    return std::make_unique<CsvSource>(path, options, kCsvBlockBytes, memory);
  }
  if (format == "ndjson" || format == "jsonl") return std::make_unique<JsonSource>(path, false, options, memory);
  if (format == "json") return std::make_unique<JsonSource>(path, true, options, memory);
  if (format == "parquet") return OpenParquetSource(path, options);
  throw InvalidOption("unknown input format '" + format + "': use csv, ndjson, json or parquet");
}

}  // namespace

std::string InputFormatFromPath(const std::string& raw_path) {
  std::string path = raw_path;
  std::transform(path.begin(), path.end(), path.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* compressed : {".gz", ".zst"}) {
    if (EndsWith(path, compressed)) path.resize(path.size() - std::string(compressed).size());
  }
  if (EndsWith(path, ".csv") || EndsWith(path, ".tsv") || EndsWith(path, ".txt")) return "csv";
  if (EndsWith(path, ".ndjson") || EndsWith(path, ".jsonl")) return "ndjson";
  if (EndsWith(path, ".json")) return "json";
  if (EndsWith(path, ".parquet")) return "parquet";
  return "";
}

std::unique_ptr<Source> OpenSource(const ExportOptions& options, MemoryGovernor* memory) {
  const std::string& source = options.source;
  if (source.empty()) {
    throw InvalidOption("missing source: pass --from with a file path, sqlite:PATH?table=T, "
                        "postgresql://...?query=SQL or gen:rows=N");
  }
  if (StartsWith(source, "gen:")) return OpenGenerator(source, options);
  if (StartsWith(source, "sqlite:")) return OpenSqlite(source, options);
  if (StartsWith(source, "postgresql://") || StartsWith(source, "postgres://")) {
    return OpenPostgres(source, options);
  }
  return OpenFile(source, options, memory);
}

}  // namespace sluice
