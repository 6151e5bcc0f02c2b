#include "sinks/cloud/multipart_sink.h"

#include <algorithm>

#include "core/error.h"
#include "core/size.h"

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
  buffer_.reserve(PartSize(options_.part_bytes, limits_, 1));
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

void MultipartSink::write(std::string_view data) {
  check_open();
  if (bytes_written_ + data.size() > max_object_bytes_) {
    throw InvalidOption("the upload to " + object_ + " passed --max-file-size (" +
                        FormatSize(max_object_bytes_) +
                        "); cloud uploads are not split into parts, so raise --max-file-size");
  }
  bytes_written_ += data.size();

  while (!data.empty()) {
    uint64_t part_size = PartSize(options_.part_bytes, limits_, next_part_);
    size_t room = static_cast<size_t>(part_size - std::min<uint64_t>(part_size, buffer_.size()));
    size_t take = std::min(room, data.size());
    buffer_.append(data.data(), take);
    data.remove_prefix(take);
    if (buffer_.size() >= part_size) submit_buffer(false);
  }
}

void MultipartSink::submit_buffer(bool last) {
  if (!started_) {
    start_upload();
    started_ = true;
    int threads = limits_.ordered ? 1 : options_.max_concurrency;
    uploader_ = std::make_unique<PartUploader>(
        threads, options_.stall_timeout_seconds,
        [this](HttpClient& client, const UploadPart& part) { return upload_part(client, part); });
  }
  if (limits_.max_parts != 0 && next_part_ > limits_.max_parts) {
    throw InvalidOption("the upload to " + object_ + " needs more than " +
                        std::to_string(limits_.max_parts) + " parts, the " + provider_ +
                        " limit; raise --cloud-part-size");
  }

  UploadPart part;
  part.number = next_part_++;
  part.last = last;
  part.data = std::move(buffer_);
  buffer_ = std::string();
  if (!last) buffer_.reserve(PartSize(options_.part_bytes, limits_, next_part_));
  uploader_->submit(std::move(part));
}

void MultipartSink::commit() {
  check_open();
  try {
    if (!started_ && limits_.single_request) {
      put_object(buffer_);
    } else {
      if (!buffer_.empty() || limits_.empty_last_part) submit_buffer(true);
      std::vector<std::string> results = uploader_->finish();
      complete_upload(results);
    }
  } catch (...) {
    abort();
    throw;
  }
  closed_ = true;
  buffer_ = std::string();
  uploader_.reset();
}

void MultipartSink::abort() noexcept {
  if (closed_) return;
  closed_ = true;
  if (uploader_ != nullptr) uploader_->cancel();
  if (started_) abort_upload();
  uploader_.reset();
  buffer_ = std::string();
}

}  // namespace sluice
