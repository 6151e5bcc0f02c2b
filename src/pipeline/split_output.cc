#include "pipeline/split_output.h"

#include <cstdio>
#include <algorithm>

#include "core/error.h"
#include "formats/writer_factory.h"
#include "core/size.h"
#include "pipeline/manifest.h"
#include "transforms/transform_chain.h"
#include "sinks/cloud/cloud_destination.h"
#include "sinks/special_file_sink.h"

namespace sluice {

namespace {

// Share of the limit a part is filled to, leaving room for estimate errors.
constexpr double kFillTarget = 0.98;
// Text output is at most this many times its rows' in-memory size, even
// with a JSON key per value or six-byte escapes. So far from the limit, no
// row needs measuring first.
constexpr double kWidestTextFactor = 64;
// A cloud export's first part gets a part name when the output is predicted
// to pass this share of the limit. The row count may be an estimate, and a
// wrong "split" costs only a one-part manifest, but a wrong "fits" fails the
// export, hence a share well below 1.
constexpr double kSplitPredictionShare = 0.75;

// Passes an upload's state to `listener`. A completing state also gets the
// rows of the part, which a cloud export has only one of; `rows` is read at
// that moment.
std::function<void(const CloudUploadState&)> UploadRecorder(PartListener* listener, const uint64_t* rows) {
  return [listener, rows](const CloudUploadState& state) {
    if (!state.completing) {
      listener->upload_changed(state);
      return;
    }
    CloudUploadState completing = state;
    completing.object_rows = *rows;
    listener->upload_changed(completing);
  };
}

// The temporary files' tag: a hash of the export id, so every run of an
// export, first or resumed, writes a part under the same temporary name. A
// file created just before a kill, which no record names, is then reused
// rather than left behind. Not a security measure: FNV-1a, 64 bits.
std::string TempTag(const std::string& export_id) {
  if (export_id.empty()) return "";
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : export_id) hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

SplitOutput::SplitOutput(const ExportOptions& options, const Schema& schema, std::string format,
                         std::string export_id, MemoryGovernor& memory, PartListener* listener,
                         const SplitResume* resume, const CancellationToken* cancel)
    : options_(options),
      schema_(schema),
      format_(std::move(format)),
      export_id_(std::move(export_id)),
      memory_(memory),
      listener_(listener),
      cancel_(cancel),
      // A device or FIFO is written in place, like standard output.
      to_stdout_(options.destination == "-" || IsSpecialFile(options.destination)),
      to_cloud_(IsCloudDestination(options.destination)),
      // Standard output is one stream and cannot be split.
      max_bytes_(to_stdout_ ? 0 : options.max_file_bytes),
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
  // itself if the export turns out to need only one part. A cloud part is
  // named when its upload starts (set_part_object()).
  uint64_t number = files_.size() + 1;
  std::string path = part_path(number);
  if (to_stdout_ || (to_cloud_ && number == 1)) path = options_.destination;
  chain_ = std::make_unique<OutputChain>(path, options_, &memory_, TempTag(export_id_), cancel_);
  if (to_cloud_) set_part_object(number);
  if (listener_ != nullptr && to_cloud_) {
    chain_->set_upload_recorder(UploadRecorder(listener_, &part_rows_));
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
  empty_part_bytes_ = part_estimate();
  flushed_near_limit_ = false;
  keys_ready_ = false;
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

  uint64_t number = files_.size() + 1;
  chain_ = std::make_unique<OutputChain>(part_path(number), options_, *resume.chain, &memory_);
  if (listener_ != nullptr && to_cloud_) chain_->set_upload_recorder(UploadRecorder(listener_, &part_rows_));
  // An upload that has started keeps its key; an unstarted one is named
  // when it starts, as in an uninterrupted run.
  if (to_cloud_ && resume.chain->upload && resume.chain->upload->started()) {
    part_object_ = resume.chain->upload->object;
  } else if (to_cloud_) {
    set_part_object(number);
  }
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
  // The split decisions read these, so they come from the checkpoint to
  // end parts where the interrupted run would have.
  if (replay.part_start) {
    empty_part_bytes_ = part_estimate();
    flushed_near_limit_ = false;
  } else {
    empty_part_bytes_ = replay.empty_part_bytes;
    flushed_near_limit_ = replay.flushed_near_limit;
  }
}

void SplitOutput::set_part_object(uint64_t number) {
  part_object_.clear();
  if (number > 1 || max_bytes_ == 0) {
    part_object_ = part_path(number);
    return;
  }
  chain_->set_upload_resolver([this] {
    part_object_ = first_object_url();
    return part_object_;
  });
}

std::string SplitOutput::first_object_url() {
  bool split = closing_before_next_ ? *closing_before_next_ : split_predicted();
  return split ? PartPath(options_.destination, 1) : options_.destination;
}

// Predicts whether the export passes the limit from the rows written so far:
// their bytes per row before the transforms, the transforms' size ratio so
// far, and the source's expected row count.
bool SplitOutput::split_predicted() const {
  uint64_t rows = part_rows_ + writing_rows_;
  uint64_t writer_bytes = part_writer_bytes();
  if (expected_rows_ == 0 || rows == 0 || writer_bytes == 0) return false;
  double ratio = std::min(1.0, static_cast<double>(chain_->file_bytes()) / static_cast<double>(writer_bytes));
  double per_row = static_cast<double>(part_estimate()) / static_cast<double>(rows);
  double expected = per_row * static_cast<double>(expected_rows_) * ratio;
  return expected > kSplitPredictionShare * static_cast<double>(max_bytes_);
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
  // The first part's upload started under the destination's own key, which
  // a split export must not use (see split_output.h).
  if (to_cloud_ && next_rows_before && files_.empty() && part_object_ == options_.destination) {
    std::string reason = expected_rows_ == 0
                             ? "the source reports no row count to predict a split from"
                             : "the source's row count (" + std::to_string(expected_rows_) + ") predicted a smaller output";
    throw InvalidOption("the export to " + options_.destination + " passed --max-file-size " + FormatSize(max_bytes_) +
                        " after its upload had started under that key, because " + reason +
                        "; raise --max-file-size, or export to a local file");
  }
  // The writer's last bytes may start the upload, which then names the part.
  closing_before_next_ = next_rows_before.has_value();
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
      uint64_t row_bytes = writer_bytes > empty_part_bytes_ ? writer_bytes - empty_part_bytes_ : writer_bytes;
      bytes_per_row_ = static_cast<double>(row_bytes) / static_cast<double>(part_rows_);
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
  closing_before_next_.reset();
  if (listener_ != nullptr && !to_stdout_ && !to_cloud_) listener_->part_committed(number);
  if (to_cloud_) {
    file.path = part_object_;
    if (listener_ != nullptr) record_cloud_part(file, number, next_rows_before);
  }

  files_.push_back(file);
  committed_paths_.push_back(file.path);
  writer_.reset();
  chain_.reset();
}

uint64_t SplitOutput::part_estimate() const {
  return part_writer_bytes() + writer_->pending_output_bytes();
}

size_t SplitOutput::rows_that_fit(const Batch& batch, size_t begin) const {
  size_t remaining_rows = batch.num_rows() - begin;
  if (max_bytes_ == 0) return remaining_rows;

  // Bytes per row before the transforms: measured in this part, without the
  // header and trailer that an empty part has, else learned from earlier parts.
  uint64_t estimate = part_estimate();
  double per_row = bytes_per_row_;
  if (part_rows_ > 0 && estimate > empty_part_bytes_) {
    per_row = static_cast<double>(estimate - empty_part_bytes_) / static_cast<double>(part_rows_);
  }
  // With nothing measured, one row shows how wide the output's rows are. The
  // batch's in-memory size is no guide, because text can be several times
  // larger (a JSON key per value, numbers as digits). While the writer's
  // estimate has not grown yet, the rows in the part double with each step.
  //
  // When even kWidestTextFactor times the rows' in-memory size fits, they
  // all go in one step, as with the default limit of 20GB. Writing a batch
  // in several steps would change the output of writers that end a block
  // per batch (Avro), which must not depend on the limit when it is far away.
  if (per_row <= 0) {
    double room = static_cast<double>(max_bytes_) * kFillTarget / transform_ratio_ - static_cast<double>(estimate);
    double rows_bytes = static_cast<double>(batch.byte_size()) * static_cast<double>(remaining_rows) /
                        static_cast<double>(std::max<size_t>(1, batch.num_rows()));
    if (rows_bytes * kWidestTextFactor <= room) return remaining_rows;
    return std::min<size_t>(remaining_rows, std::max<uint64_t>(1, part_rows_));
  }

  // The margin absorbs estimate errors (Parquet pages counted before
  // compression, the sampled XLSX size, encryption overhead).
  // The transform ratio (file bytes per writer byte, at most 1) is the one
  // measured at the last checkpoint or part end, not the live one. The sinks
  // below the writer run on a worker thread, and a figure that depends on
  // how far the worker has got would make split points vary between runs.
  double budget = static_cast<double>(max_bytes_) * kFillTarget / transform_ratio_ - static_cast<double>(estimate);
  if (budget <= 0) return 0;
  // Each step writes rows expected to take at most half the remaining
  // budget and then measures again, so a part passes the limit only when
  // one step's rows are more than twice as wide as the part's average.
  double rows = budget / (2 * per_row);
  return rows >= static_cast<double>(remaining_rows) ? remaining_rows : static_cast<size_t>(rows);
}

void SplitOutput::write_batch(const Batch& batch) {
  size_t rows = batch.num_rows();
  size_t begin = 0;
  while (begin < rows) {
    if (!keys_ready_) {
      chain_->wait_for_keys();
      keys_ready_ = true;
    }
    size_t fit = rows_that_fit(batch, begin);
    // The part ends within this batch. Writing out the buffered rows once (a
    // Parquet row group) replaces their estimate with compressed bytes, so
    // more rows may fit.
    if (fit < rows - begin && part_rows_ > 0 && !flushed_near_limit_) {
      flushed_near_limit_ = true;
      if (writer_->flush_buffered()) continue;
    }
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
    writing_rows_ = end - begin;
    if (begin == 0 && end == rows) {
      writer_->write_batch(batch);
    } else {
      slice_.assign_rows(batch, begin, end);
      writer_->write_batch(slice_);
    }
    writing_rows_ = 0;
    part_rows_ += end - begin;
    begin = end;
  }
}

// Records a cloud part once its object exists: no upload is left to
// finish, so a resume continues with the next part. Killed before this, a
// resume regenerates the end of the part and finds its upload finished.
void SplitOutput::record_cloud_part(const OutputFile& file, uint64_t number, std::optional<size_t> next_rows_before) {
  std::optional<Checkpoint> next;
  if (next_rows_before) {
    next = next_part_start(*next_rows_before);
    ++next->part;  // the part after the one closing
  }
  listener_->part_completing(file, "", number, next ? &*next : nullptr);
  listener_->part_committed(number);

  // The part's upload is finished, so the recorded state names no upload
  // for a cancel to abort. An encrypted part's container header is kept, so
  // a resume checks its password against it before it writes the next part.
  CloudUploadState finished;
  if (std::optional<CloudUploadState> state = chain_->upload_state()) {
    finished.provider = state->provider;
    finished.object = state->object;
    finished.head = state->head;
  }
  listener_->upload_changed(finished);
}

bool SplitOutput::checkpoint(Checkpoint& checkpoint, bool durable) {
  std::optional<std::string> state = writer_->checkpoint_state();
  chain_->end_frame();
  if (!state || !chain_->resumable_mid_part()) return false;

  checkpoint.output_offset = durable ? chain_->sync() : chain_->file_bytes();
  if (uint64_t writer_bytes = part_writer_bytes(); writer_bytes > 0 && checkpoint.output_offset > 0) {
    transform_ratio_ = std::min(1.0, static_cast<double>(checkpoint.output_offset) / static_cast<double>(writer_bytes));
  }
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
  checkpoint.empty_part_bytes = empty_part_bytes_;
  checkpoint.flushed_near_limit = flushed_near_limit_;
  checkpoint.altered_values = altered_values_;
  return true;
}

void SplitOutput::finish() {
  close_part(std::nullopt);
  if (to_stdout_) return;
  if (to_cloud_) {
    if (files_.size() == 1 && files_[0].path == options_.destination) return;
    manifest_path_ = ManifestPath(options_.destination);
    UploadManifest(manifest_path_, export_id_, format_, files_, options_);
    return;
  }

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
  // NOTE: the objects of committed cloud parts stay in the bucket, because
  // the cloud sinks have no delete request.
  if (!keep_partial && !to_cloud_) {
    for (const std::string& path : committed_paths_) std::remove(path.c_str());
  }
  committed_paths_.clear();
}

uint64_t SplitOutput::bytes_written() const {
  uint64_t total = 0;
  for (const OutputFile& file : files_) total += file.bytes;
  if (chain_ != nullptr) total += chain_->file_bytes_estimate();
  return total;
}

uint64_t SplitOutput::altered_values() const {
  return altered_values_ + (writer_ != nullptr ? writer_->altered_values() : 0);
}

}  // namespace sluice
