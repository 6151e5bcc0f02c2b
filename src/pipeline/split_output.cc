#include "pipeline/split_output.h"

#include <cstdio>
#include <algorithm>

#include "core/error.h"
#include "formats/writer_factory.h"
#include "pipeline/manifest.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/special_file_sink.h"

namespace sluice {

SplitOutput::SplitOutput(const ExportOptions& options, const Schema& schema, std::string format,
                         std::string export_id, MemoryGovernor& memory, PartListener* listener,
                         const SplitResume* resume)
    : options_(options),
      schema_(schema),
      format_(std::move(format)),
      export_id_(std::move(export_id)),
      memory_(memory),
      listener_(listener),
      // A device or FIFO is written in place, like standard output.
      to_stdout_(options.destination == "-" || IsSpecialFile(options.destination)),
      to_cloud_(IsCloudDestination(options.destination)),
      // Standard output is one stream and cannot be split; a cloud sink
      // enforces the maximum size itself.
      max_bytes_(to_stdout_ || to_cloud_ ? 0 : options.max_file_bytes),
      slice_(schema) {
  if (resume != nullptr) {
    resume_part(*resume);
  } else {
    open_part();
  }
}

SplitOutput::~SplitOutput() {
  if (chain_ != nullptr) abort();
}

std::string SplitOutput::part_path(size_t number) const {
  // Without a maximum file size there is only ever one part, so it is written
  // under the destination's own name and errors name the destination.
  if (max_bytes_ == 0) return options_.destination;
  return PartPath(options_.destination, number);
}

void SplitOutput::open_part() {
  // The first part is written as part 1 and renamed to the destination
  // itself if the export turns out to need only one part.
  std::string path = to_stdout_ || to_cloud_ ? options_.destination : part_path(files_.size() + 1);
  chain_ = std::make_unique<OutputChain>(path, options_, &memory_);
  if (listener_ != nullptr && to_cloud_) {
    chain_->set_upload_started([this](const CloudUploadState& state) { listener_->upload_changed(state); });
  }
  if (listener_ != nullptr && !to_stdout_ && !to_cloud_) {
    listener_->part_opened(files_.size() + 1, path, chain_->temp_path());
  }
  // Part 1 becomes the destination itself unless the export is split.
  if (files_.empty()) chain_->set_error_path(options_.destination);
  writer_ = MakeFormatWriter(format_, options_, &memory_);
  writer_bytes_base_ = 0;
  top_bytes_at_start_ = chain_->top().bytes_written();
  writer_->begin(schema_, chain_->top());
  part_rows_ = 0;
}

void SplitOutput::resume_part(const SplitResume& resume) {
  files_ = resume.committed;
  for (const OutputFile& file : files_) committed_paths_.push_back(file.path);
  const Checkpoint& replay = resume.replay;
  bytes_per_row_ = replay.bytes_per_row;
  transform_ratio_ = replay.transform_ratio;
  altered_values_ = replay.altered_values;
  if (!resume.chain) {
    open_part();
    return;
  }

  chain_ = std::make_unique<OutputChain>(part_path(files_.size() + 1), options_, *resume.chain, &memory_);
  if (files_.empty()) chain_->set_error_path(options_.destination);
  writer_ = MakeFormatWriter(format_, options_, &memory_);
  top_bytes_at_start_ = chain_->top().bytes_written();
  if (replay.part_start) {
    writer_->begin(schema_, chain_->top());
  } else {
    writer_->restore(schema_, chain_->top(), replay.writer_state);
  }
  writer_bytes_base_ = replay.writer_bytes;
  part_rows_ = replay.part_rows;
}

uint64_t SplitOutput::part_writer_bytes() const {
  return writer_bytes_base_ + chain_->top().bytes_written() - top_bytes_at_start_;
}

void SplitOutput::keep_partial_files(bool keep) {
  keep_partial_ = keep;
  if (chain_ != nullptr) chain_->keep_partial_file(keep);
}

Checkpoint SplitOutput::next_part_start(size_t rows_before) const {
  Checkpoint start;
  start.part = files_.size() + 1;
  start.chunk = origin_.chunk;
  uint64_t rows_in_batch = origin_.first_row + rows_before;
  start.records = origin_.records + rows_in_batch;
  start.source_position = origin_.position;
  start.skip_rows = rows_in_batch;
  start.part_start = true;
  start.bytes_per_row = bytes_per_row_;
  start.transform_ratio = transform_ratio_;
  start.altered_values = altered_values_;
  return start;
}

// Closes the open part. `next_rows_before` is set when another part follows
// and gives the rows of the current batch that went to the parts before it.
void SplitOutput::close_part(std::optional<size_t> next_rows_before) {
  writer_->finish();
  altered_values_ += writer_->altered_values();
  uint64_t writer_bytes = part_writer_bytes();
  uint64_t number = files_.size() + 1;

  // Another part follows, so this one keeps its part name.
  if (next_rows_before) chain_->set_error_path("");

  OutputFile file;
  file.path = to_stdout_ || to_cloud_ ? options_.destination : part_path(number);
  file.rows = part_rows_;
  chain_->set_before_commit([&] {
    file.bytes = chain_->file_bytes();
    file.sha256 = chain_->sha256_hex();
    if (part_rows_ > 0) {
      bytes_per_row_ = static_cast<double>(writer_bytes) / static_cast<double>(part_rows_);
      if (writer_bytes > 0) {
        transform_ratio_ = std::min(1.0, static_cast<double>(file.bytes) / static_cast<double>(writer_bytes));
      }
    }
    if (listener_ == nullptr || to_stdout_ || to_cloud_) return;
    std::optional<Checkpoint> next;
    if (next_rows_before) {
      next = next_part_start(*next_rows_before);
      ++next->part;  // the part after the one closing
    }
    listener_->part_completing(file, chain_->temp_path(), number, next ? &*next : nullptr);
  });
  chain_->commit();
  if (listener_ != nullptr && !to_stdout_ && !to_cloud_) listener_->part_committed(number);

  files_.push_back(file);
  committed_paths_.push_back(file.path);
  writer_.reset();
  chain_.reset();
}

size_t SplitOutput::rows_that_fit(const Batch& batch, size_t begin) const {
  size_t remaining_rows = batch.num_rows() - begin;
  if (max_bytes_ == 0) return remaining_rows;

  // Bytes per row: learned from this part, else from earlier parts, else the
  // batch's in-memory size as a first guess.
  double per_row = bytes_per_row_;
  double ratio = transform_ratio_;
  uint64_t part_bytes = part_writer_bytes() + writer_->buffered_bytes();
  if (part_rows_ > 0 && part_bytes > 0) {
    per_row = static_cast<double>(part_bytes) / static_cast<double>(part_rows_);
    if (chain_->file_bytes() > 0) {
      ratio = std::min(1.0, static_cast<double>(chain_->file_bytes()) / static_cast<double>(part_bytes));
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
        close_part(begin);
        open_part();
        chain_->keep_partial_file(keep_partial_);
        continue;
      }
      fit = 1;  // a part contains at least one row, however wide
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

bool SplitOutput::checkpoint(Checkpoint& checkpoint, bool durable) {
  std::optional<std::string> state = writer_->checkpoint_state();
  chain_->end_frame();
  if (!state || !chain_->resumable_mid_part()) return false;

  checkpoint.output_offset = durable ? chain_->sync() : chain_->file_bytes();
  checkpoint.part = files_.size() + 1;
  checkpoint.part_start = false;
  checkpoint.skip_rows = 0;
  checkpoint.writer_state = *state;
  checkpoint.writer_bytes = part_writer_bytes();
  checkpoint.stream_offset = chain_->stream_offset();
  checkpoint.encryption = chain_->encryption_state();
  checkpoint.temp_path = chain_->temp_path();
  checkpoint.upload = chain_->upload_state();
  checkpoint.part_rows = part_rows_;
  checkpoint.bytes_per_row = bytes_per_row_;
  checkpoint.transform_ratio = transform_ratio_;
  checkpoint.altered_values = altered_values_;
  return true;
}

void SplitOutput::finish() {
  close_part(std::nullopt);
  if (to_stdout_ || to_cloud_) return;

  if (files_.size() == 1) {
    if (files_[0].path != options_.destination &&
        std::rename(files_[0].path.c_str(), options_.destination.c_str()) != 0) {
      throw IOError("cannot rename " + files_[0].path + " to " + options_.destination);
    }
    committed_paths_[0] = options_.destination;
    files_[0].path = options_.destination;
    return;
  }
  manifest_path_ = ManifestPath(options_.destination);
  WriteManifest(manifest_path_, export_id_, format_, files_);
}

void SplitOutput::abort(bool keep_partial) noexcept {
  if (chain_ != nullptr) {
    chain_->keep_partial_file(keep_partial);
    chain_->abort();
  }
  writer_.reset();
  chain_.reset();
  if (!keep_partial) {
    for (const std::string& path : committed_paths_) std::remove(path.c_str());
  }
  committed_paths_.clear();
}

uint64_t SplitOutput::bytes_written() const {
  uint64_t total = 0;
  for (const OutputFile& file : files_) total += file.bytes;
  if (chain_ != nullptr) total += chain_->file_bytes();
  return total;
}

uint64_t SplitOutput::altered_values() const {
  return altered_values_ + (writer_ != nullptr ? writer_->altered_values() : 0);
}

}  // namespace sluice
