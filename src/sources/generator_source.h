// GeneratorSource: deterministic synthetic rows with every column type, for
// benchmarks and tests.
#pragma once

#include <cstdint>

#include "sluice/options.h"
#include "sources/source.h"

namespace sluice {

// Produces `rows` rows whose values are a pure function of (seed, row index),
// so the same seed always yields the same bytes and any row can be
// regenerated on its own. Columns, in order:
//   id int64 (never null, 1-based), flag boolean, amount float64 (finite),
//   price decimal(18,2), big decimal(38,10), name string (sometimes with
//   quotes, commas, newlines or non-ASCII text), payload binary, day date
//   (1900..2099), local_time timestamp, instant timestamptz.
// Every column but id is null in about one row in sixteen.
class GeneratorSource : public Source {
 public:
  GeneratorSource(uint64_t rows, uint64_t seed, const ExportOptions& options);

  const Schema& schema() const override { return schema_; }
  bool next_batch(Batch& batch) override;
  SourceProgress progress() const override;

  // The position is the index of the next row.
  std::string position() const override;
  void seek(const std::string& position) override;

 private:
  void append_row(Batch& batch, uint64_t row) const;

  Schema schema_;
  uint64_t rows_;
  uint64_t seed_;
  uint64_t chunk_bytes_;
  uint64_t next_row_ = 0;
};

}  // namespace sluice
