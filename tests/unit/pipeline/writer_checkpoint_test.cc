// FormatWriter::checkpoint_state() and restore(): a writer restored in a new
// sink continues the file so that the two halves equal one uninterrupted run.
#include <gtest/gtest.h>

#include <memory>

#include "formats/writer_factory.h"
#include "sluice/error.h"
#include "sources/source_factory.h"
#include "support/string_sink.h"

namespace sluice {
namespace {

using testing::StringSink;

std::vector<Batch> GeneratedBatches(const ExportOptions& options, Schema& schema) {
  std::unique_ptr<Source> source = OpenSource(options);
  schema = source->schema();
  std::vector<Batch> batches;
  Batch batch(schema);
  while (source->next_batch(batch)) {
    batches.emplace_back(schema);
    batches.back().assign_rows(batch, 0, batch.num_rows());
  }
  return batches;
}

// Writes all batches in one run, then again with a checkpoint after
// `split` batches and a restored writer for the rest.
void ExpectRestoreContinues(const std::string& format, ExportOptions options) {
  options.source = "gen:rows=2000&seed=9";
  options.chunk_bytes = 16 * kKiB;
  Schema schema;
  std::vector<Batch> batches = GeneratedBatches(options, schema);
  ASSERT_GE(batches.size(), 4u);

  StringSink whole;
  std::unique_ptr<FormatWriter> writer = MakeFormatWriter(format, options);
  writer->begin(schema, whole);
  for (const Batch& batch : batches) writer->write_batch(batch);
  writer->finish();

  for (size_t split : {size_t{0}, size_t{1}, batches.size() / 2, batches.size()}) {
    StringSink first;
    std::unique_ptr<FormatWriter> before = MakeFormatWriter(format, options);
    before->begin(schema, first);
    for (size_t i = 0; i < split; ++i) before->write_batch(batches[i]);
    std::optional<std::string> state = before->checkpoint_state();
    ASSERT_TRUE(state.has_value()) << format;

    StringSink second;
    std::unique_ptr<FormatWriter> after = MakeFormatWriter(format, options);
    after->restore(schema, second, *state);
    for (size_t i = split; i < batches.size(); ++i) after->write_batch(batches[i]);
    after->finish();
    EXPECT_EQ(first.bytes() + second.bytes(), whole.bytes()) << format << " split after batch " << split;
    EXPECT_EQ(after->altered_values(), writer->altered_values()) << format;
  }
}

TEST(WriterCheckpoint, Csv) { ExpectRestoreContinues("csv", ExportOptions{}); }

TEST(WriterCheckpoint, CsvWithFormulaGuardAndBom) {
  ExportOptions options;
  options.csv_write.formula_guard = true;
  options.csv_write.byte_order_mark = true;
  ExpectRestoreContinues("csv", options);
}

TEST(WriterCheckpoint, Ndjson) { ExpectRestoreContinues("ndjson", ExportOptions{}); }

TEST(WriterCheckpoint, JsonArray) { ExpectRestoreContinues("json", ExportOptions{}); }

TEST(WriterCheckpoint, PrettyJsonArray) {
  ExportOptions options;
  options.json_write.pretty = true;
  ExpectRestoreContinues("json", options);
}

TEST(WriterCheckpoint, RejectsForeignState) {
  ExportOptions options;
  std::unique_ptr<FormatWriter> writer = MakeFormatWriter("json", options);
  StringSink sink;
  Schema schema = {{"id", {TypeId::kInt64}, false}};
  EXPECT_THROW(writer->restore(schema, sink, "something=else"), Error);
}

}  // namespace
}  // namespace sluice
