#include "pipeline/split_output.h"

#include <cstdio>
#include <algorithm>

#include "core/error.h"
#include "formats/writer_factory.h"
#include "pipeline/manifest.h"
#include "sinks/file_sink.h"
#include "sinks/stdout_sink.h"
#include "transforms/transform_chain.h"

namespace sluice {

SplitOutput::SplitOutput(const ExportOptions& options, const Schema& schema, std::string format,
                         std::string export_id)
    : options_(options),
      schema_(schema),
      format_(std::move(format)),
      export_id_(std::move(export_id)),
      to_stdout_(options.destination == "-"),
      // Standard output is one stream and cannot be split.
      max_bytes_(options.destination == "-" ? 0 : options.max_file_bytes),
      slice_(schema) {
  open_part();
}

SplitOutput::~SplitOutput() {
  if (chain_ != nullptr) abort();
}

std::string SplitOutput::part_path(size_t number) const {
  return PartPath(options_.destination, number);
}

void SplitOutput::open_part() {
  std::unique_ptr<ByteSink> sink;
  if (to_stdout_) {
    sink = std::make_unique<StdoutSink>();
  } else {
    // The first part is written as part 1 and renamed to the destination
    // itself if the export turns out to need only one part.
    sink = std::make_unique<FileSink>(part_path(files_.size() + 1));
  }
  auto hashing = std::make_unique<HashingSink>(std::move(sink));
  hashing_ = hashing.get();
  chain_ = WrapWithTransforms(std::move(hashing), options_);
  writer_ = MakeFormatWriter(format_, options_);
  writer_->begin(schema_, *chain_);
  part_rows_ = 0;
}

void SplitOutput::close_part() {
  writer_->finish();
  altered_values_ += writer_->altered_values();
  uint64_t writer_bytes = chain_->bytes_written();
  chain_->commit();

  OutputFile file;
  file.path = to_stdout_ ? "-" : part_path(files_.size() + 1);
  file.rows = part_rows_;
  file.bytes = hashing_->bytes_written();
  file.sha256 = hashing_->sha256_hex();
  files_.push_back(file);
  committed_paths_.push_back(file.path);

  if (part_rows_ > 0) {
    bytes_per_row_ = static_cast<double>(writer_bytes) / static_cast<double>(part_rows_);
    if (writer_bytes > 0) {
      transform_ratio_ = std::min(1.0, static_cast<double>(file.bytes) / static_cast<double>(writer_bytes));
    }
  }
  writer_.reset();
  chain_.reset();
  hashing_ = nullptr;
}

size_t SplitOutput::rows_that_fit(const Batch& batch, size_t begin) const {
  size_t remaining_rows = batch.num_rows() - begin;
  if (max_bytes_ == 0) return remaining_rows;

  // Bytes per row: learned from this part, else from earlier parts, else the
  // batch's in-memory size as a first guess.
  double per_row = bytes_per_row_;
  double ratio = transform_ratio_;
  uint64_t part_bytes = chain_->bytes_written() + writer_->buffered_bytes();
  if (part_rows_ > 0 && part_bytes > 0) {
    per_row = static_cast<double>(part_bytes) / static_cast<double>(part_rows_);
    if (hashing_->bytes_written() > 0) {
      ratio = std::min(1.0, static_cast<double>(hashing_->bytes_written()) / static_cast<double>(part_bytes));
    }
  }
  if (per_row <= 0 && batch.num_rows() > 0) {
    per_row = static_cast<double>(batch.byte_size()) / static_cast<double>(batch.num_rows());
  }
  if (per_row <= 0) return remaining_rows;

  // A small margin keeps rows that are wider than average from passing the limit.
  double budget = static_cast<double>(max_bytes_) * 0.98 / ratio - static_cast<double>(part_bytes);
  if (budget <= 0) return 0;
  double rows = budget / per_row;
  return rows >= static_cast<double>(remaining_rows) ? remaining_rows : static_cast<size_t>(rows);
}

void SplitOutput::write_batch(const Batch& batch) {
  size_t rows = batch.num_rows();
  size_t begin = 0;
  while (begin < rows) {
    size_t fit = rows_that_fit(batch, begin);
    if (fit == 0) {
      if (part_rows_ > 0) {
        close_part();
        open_part();
        continue;
      }
      fit = 1;  // a part holds at least one row, however wide
    }
    size_t end = std::min(rows, begin + fit);
    if (begin == 0 && end == rows) {
      writer_->write_batch(batch);
    } else {
      slice_.assign_rows(batch, begin, end);
      writer_->write_batch(slice_);
    }
    part_rows_ += end - begin;
    begin = end;
  }
}

void SplitOutput::finish() {
  close_part();
  if (to_stdout_) return;

  if (files_.size() == 1) {
    if (std::rename(files_[0].path.c_str(), options_.destination.c_str()) != 0) {
      throw IOError("cannot rename " + files_[0].path + " to " + options_.destination);
    }
    committed_paths_[0] = options_.destination;
    files_[0].path = options_.destination;
    return;
  }
  manifest_path_ = ManifestPath(options_.destination);
  WriteManifest(manifest_path_, export_id_, format_, files_);
}

void SplitOutput::abort() noexcept {
  if (chain_ != nullptr) chain_->abort();
  writer_.reset();
  chain_.reset();
  hashing_ = nullptr;
  for (const std::string& path : committed_paths_) std::remove(path.c_str());
  committed_paths_.clear();
}

uint64_t SplitOutput::bytes_written() const {
  uint64_t total = 0;
  for (const OutputFile& file : files_) total += file.bytes;
  if (hashing_ != nullptr) total += hashing_->bytes_written();
  return total;
}

}  // namespace sluice
