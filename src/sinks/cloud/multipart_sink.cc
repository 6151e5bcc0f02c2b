#include "sinks/cloud/multipart_sink.h"

#include <algorithm>

#include "core/error.h"
#include "core/free_buffer.h"
#include "core/size.h"
#include "sinks/cloud/cloud_destination.h"

namespace sluice {

MultipartSink::MultipartSink(std::string provider, std::string object, const CloudOptions& options,
                             uint64_t max_object_bytes, const PartLimits& limits)
    : provider_(std::move(provider)),
      object_(std::move(object)),
      options_(options),
      max_object_bytes_(max_object_bytes),
      limits_(limits),
      client_(std::make_unique<HttpClient>(options.stall_timeout_seconds)) {
  if (options_.part_bytes < limits_.min_part_bytes) {
    throw InvalidOption("invalid --cloud-part-size " + FormatSize(options_.part_bytes) + " for " +
                        provider_ + ": use at least " + FormatSize(limits_.min_part_bytes));
  }
  if (limits_.max_part_bytes != 0 && options_.part_bytes > limits_.max_part_bytes) {
    throw InvalidOption("invalid --cloud-part-size " + FormatSize(options_.part_bytes) + " for " +
                        provider_ + ": use at most " + FormatSize(limits_.max_part_bytes));
  }
  if (options_.max_concurrency < 1 || options_.max_attempts < 1 || options_.stall_timeout_seconds < 1) {
    throw InvalidOption("invalid cloud upload settings: --cloud-concurrency, --cloud-retries and "
                        "--cloud-stall-timeout must each be at least 1");
  }
  retry_.max_attempts = options_.max_attempts;
}

MultipartSink::~MultipartSink() = default;

uint64_t MultipartSink::PartSize(uint64_t first_part_bytes, const PartLimits& limits,
                                 uint64_t number) {
  uint64_t size = first_part_bytes;
  if (limits.part_multiple > 1) {
    size = (size + limits.part_multiple - 1) / limits.part_multiple * limits.part_multiple;
  }
  if (limits.parts_per_step != 0) {
    uint64_t doublings = std::min<uint64_t>((number - 1) / limits.parts_per_step, 40);
    for (uint64_t i = 0; i < doublings && (limits.max_part_bytes == 0 || size < limits.max_part_bytes); ++i) {
      size *= 2;
    }
  }
  if (limits.max_part_bytes != 0) size = std::min(size, limits.max_part_bytes);
  return size;
}

const std::atomic<bool>* MultipartSink::cancel_flag() const {
  return uploader_ != nullptr ? uploader_->cancel_flag() : nullptr;
}

void MultipartSink::check_open() const {
  if (closed_) throw Error(ErrorKind::kInternal, provider_ + " sink used after commit or abort");
}

void MultipartSink::set_key(const std::string& key) {
  throw Error(ErrorKind::kInternal, provider_ + " sink cannot write to another key (" + key + ")");
}

void MultipartSink::resolve_object() {
  if (!object_resolver_) return;
  std::string url = object_resolver_();
  object_resolver_ = nullptr;
  if (url == object_) return;
  CloudDestination current = ParseCloudDestination(object_);
  CloudDestination resolved = ParseCloudDestination(url);
  if (resolved.provider != current.provider || resolved.account != current.account ||
      resolved.bucket != current.bucket) {
    throw Error(ErrorKind::kInternal, "the object " + url + " is not in the bucket of " + object_);
  }
  set_key(resolved.key);
  object_ = url;
}

void MultipartSink::write(std::string_view data) {
  check_open();
  if (bytes_written_ + data.size() > max_object_bytes_) {
    throw InvalidOption("the upload to " + object_ + " passed its maximum object size (" +
                        FormatSize(max_object_bytes_) + "); export to a local file");
  }
  if (head_.size() < head_bytes_ && bytes_written_ == head_.size()) {
    head_.append(data.substr(0, head_bytes_ - head_.size()));
  }
  bytes_written_ += data.size();
  if (skip_ > 0) {
    size_t dropped = static_cast<size_t>(std::min<uint64_t>(skip_, data.size()));
    skip_ -= dropped;
    data.remove_prefix(dropped);
  }

  while (!data.empty()) {
    uint64_t part_size = PartSize(options_.part_bytes, limits_, next_part_);
    if (buffer_.empty()) reserve_buffer(part_size);
    uint64_t filled = part_filled_ + buffer_.size();
    size_t room = static_cast<size_t>(part_size - std::min<uint64_t>(part_size, filled));
    size_t take = std::min(room, data.size());
    buffer_.append(data.data(), take);
    data.remove_prefix(take);
    if (part_filled_ + buffer_.size() >= part_size) submit_buffer(false);
  }
}

void MultipartSink::reserve_buffer(uint64_t part_size) {
  if (buffer_.capacity() >= part_size) return;
  if (memory_ != nullptr) {
    const char* purpose = "cloud upload part buffer (--cloud-part-size)";
    MemoryReservation reservation = memory_->try_reserve(part_size, purpose);
    // Parts in flight hold their buffers' budget: wait for them one at a
    // time. With none left, wait for other holders, up to the grace period.
    while (reservation.bytes() == 0) {
      size_t in_flight = uploader_ != nullptr ? uploader_->in_flight() : 0;
      if (in_flight == 0) {
        reservation = memory_->reserve(part_size, purpose);
        break;
      }
      uploader_->wait_until_fewer_than(in_flight);
      reservation = memory_->try_reserve(part_size, purpose);
    }
    buffer_reservation_ = std::move(reservation);
  }
  buffer_.reserve(part_size);
}

void MultipartSink::start_uploader() {
  started_ = true;
  int threads = limits_.ordered ? 1 : options_.max_concurrency;
  uploader_ = std::make_unique<PartUploader>(
      threads, options_.stall_timeout_seconds,
      [this](HttpClient& client, const UploadPart& part) { return upload_part(client, part); });
}

void MultipartSink::submit_buffer(bool last) {
  if (!started_) {
    resolve_object();
    start_upload();
    start_uploader();
    // Recorded for a resume or cancel after the process dies, but an export
    // that fails before its first checkpoint still aborts the upload itself.
    if (state_hook_) state_hook_(current_state());
  }
  if (limits_.max_parts != 0 && next_part_ > limits_.max_parts) {
    throw InvalidOption("the upload to " + object_ + " needs more than " +
                        std::to_string(limits_.max_parts) + " parts, the " + provider_ +
                        " limit; raise --cloud-part-size");
  }

  UploadPart part;
  part.number = next_part_++;
  part.last = last;
  if (last) {
    last_part_ = part.number;
    last_part_bytes_ = part_filled_ + buffer_.size();
  }
  part_filled_ = 0;
  part.data = std::move(buffer_);
  part.reservation = std::move(buffer_reservation_);
  FreeBuffer(buffer_);
  uploader_->submit(std::move(part));
}

void MultipartSink::commit() {
  check_open();
  if (finished_) {
    closed_ = true;
    return;
  }
  try {
    if (!started_ && limits_.single_request) {
      resolve_object();
      put_object(buffer_);
    } else {
      if (!buffer_.empty() || limits_.empty_last_part) submit_buffer(true);
      std::vector<std::string> results = uploader_->finish();
      if (limits_.completion_request && state_hook_) {
        state_hook_(completing_state(results));
        completing_ = true;
      }
      complete_upload(results);
    }
  } catch (...) {
    abort();
    throw;
  }
  closed_ = true;
  FreeBuffer(buffer_);
  buffer_reservation_.release();
  uploader_.reset();
}

void MultipartSink::abort() noexcept {
  if (closed_) return;
  closed_ = true;
  if (uploader_ != nullptr) uploader_->cancel();
  // No checkpoint describes an upload before the first one, so a resume
  // would start over: abort it now rather than leave it pending.
  bool resumable = keep_upload_ && state_given_;
  if (started_ && !resumable && !finished_) {
    CloudUploadState ids;
    ids.object = object_;
    describe_upload(ids);
    try {
      abort_upload(ids);
    } catch (...) {
      // The export's own error is the one to report. The upload stays until
      // the provider expires it or a bucket lifecycle rule removes it.
    }
  }
  // The parts acknowledged since the last checkpoint, so a resume does not
  // send them again. A recorded completing state lists every part already.
  if (started_ && resumable && !finished_ && !completing_ && state_hook_) {
    try {
      state_hook_(current_state());
    } catch (...) {
      // The last checkpoint's state still describes a prefix of the upload.
    }
  }
  uploader_.reset();
  FreeBuffer(buffer_);
  buffer_reservation_.release();
}

CloudUploadState MultipartSink::upload_state() {
  CloudUploadState state;
  state.object = object_;
  if (uploader_ != nullptr) {
    // Offsets follow from the deterministic part sizes, summed in part order.
    uint64_t number = 1;
    uint64_t offset = 0;
    state_given_ = true;
    for (auto& [acknowledged, tag] : uploader_->results()) {
      for (; number < acknowledged; ++number) offset += PartSize(options_.part_bytes, limits_, number);
      uint64_t size = PartSize(options_.part_bytes, limits_, acknowledged);
      if (acknowledged == last_part_) size = last_part_bytes_;
      state.parts.push_back(UploadedPart{acknowledged, offset, size, tag});
    }
  }
  state.head = head_;
  describe_upload(state);
  return state;
}

CloudUploadState MultipartSink::completing_state(const std::vector<std::string>& results) {
  CloudUploadState state;
  state.object = object_;
  uint64_t offset = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    uint64_t number = i + 1;
    uint64_t size = PartSize(options_.part_bytes, limits_, number);
    if (number == results.size()) size = bytes_written_ > offset ? bytes_written_ - offset : 0;
    state.parts.push_back(UploadedPart{number, offset, size, results[i]});
    offset += size;
  }
  state.head = head_;
  describe_upload(state);
  state.completing = true;
  state.object_bytes = bytes_written_;
  return state;
}

void MultipartSink::finish_recorded_upload(const CloudUploadState& state) {
  if (!recorded_upload_completed(state)) {
    std::vector<std::string> tags;
    for (const UploadedPart& part : state.parts) tags.push_back(part.tag);
    complete_upload(tags);
  }
}

bool MultipartSink::recorded_upload_completed(const CloudUploadState& state) {
  check_open();
  if (!state.completing) {
    throw Error(ErrorKind::kInternal, "a recorded upload can be checked or finished only in the completing state");
  }
  bytes_written_ = state.object_bytes;
  restore_upload(state, AcknowledgedPrefix(state));
  // Nothing was started here, so abort() leaves the provider's upload alone.
  closed_ = true;
  return upload_completed(state);
}

MultipartSink::AbortResult MultipartSink::abort_recorded_upload(const CloudUploadState& state) {
  check_open();
  // This sink started nothing, so abort() must not send a request of its own.
  closed_ = true;
  return abort_upload(state);
}

CloudUploadState MultipartSink::current_state() {
  bool was_described = state_given_;
  CloudUploadState state = upload_state();
  state_given_ = was_described;
  return state;
}

uint64_t MultipartSink::reopen_upload(const CloudUploadState& state) {
  if (!state.started()) return 0;
  uint64_t recorded = 0;
  uint64_t expected_number = 1;
  for (const UploadedPart& part : state.parts) {
    if (part.number != expected_number || part.offset != recorded ||
        part.size != PartSize(options_.part_bytes, limits_, part.number)) {
      break;
    }
    recorded += part.size;
    ++expected_number;
  }
  uint64_t stored_bytes = restore_upload(state, recorded);
  if (!state.completing || stored_bytes == kUploadFinished) return stored_bytes;

  // The state was recorded just before its completing request, which may
  // have taken effect. Then the object exists and the upload id is gone.
  // The S3 check compares the object's size with total_bytes().
  bytes_written_ = state.object_bytes;
  bool completed = upload_completed(state);
  bytes_written_ = 0;
  return completed ? kUploadFinished : stored_bytes;
}

void MultipartSink::resume_upload(const CloudUploadState& state, uint64_t offset) {
  uint64_t stored_bytes = reopen_upload(state);
  if (stored_bytes < offset) {
    throw IOError("cannot resume the upload of " + object_ + ": " + provider_ + " has stored " +
                  std::to_string(stored_bytes) + " bytes of it, fewer than the " + std::to_string(offset) +
                  " the checkpoint needs; cancel the export and start it again");
  }
  bytes_written_ = offset;
  skip_ = stored_bytes - offset;
  head_ = state.head;
  if (!state.started()) return;
  state_given_ = true;
  if (stored_bytes == kUploadFinished) {
    // The provider already assembled the object: there is nothing to send.
    started_ = true;
    finished_ = true;
    return;
  }

  start_uploader();
  // The part that contains byte `stored_bytes` is the next to send. S3 and Azure
  // keep whole parts only, so part_filled_ stays 0 for them; a GCS session
  // may hold part of a chunk.
  uint64_t part_offset = 0;
  for (;;) {
    uint64_t size = PartSize(options_.part_bytes, limits_, next_part_);
    if (part_offset + size > stored_bytes) break;
    part_offset += size;
    ++next_part_;
  }
  part_filled_ = stored_bytes - part_offset;
  for (const UploadedPart& part : state.parts) {
    if (part.number >= next_part_) break;
    uploader_->add_result(part.number, part.tag);
  }
}

}  // namespace sluice
