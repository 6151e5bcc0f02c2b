#include "transforms/gzip_sink.h"

#include <zlib.h>

#include <algorithm>
#include <string>

#include "core/error.h"

namespace sluice {

namespace {

// Compressed bytes are collected up to this size before each write to the
// inner sink.
constexpr size_t kOutputBufferBytes = 256 * 1024;

// zlib adds 16 to the window bits to write a gzip header and trailer in
// place of the zlib ones; 15 is the largest window (32 KiB).
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemoryLevel = 8;  // zlib's default

}  // namespace

GzipSink::GzipSink(std::unique_ptr<ByteSink> inner, int level)
    : inner_(std::move(inner)), stream_(std::make_unique<z_stream_s>()) {
  if (level < -1 || level > 9) {
    throw InvalidOption("invalid gzip compression level " + std::to_string(level) +
                       ": use 1 (fastest) to 9 (smallest)");
  }
  int status = deflateInit2(stream_.get(), level, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                            Z_DEFAULT_STRATEGY);
  if (status != Z_OK) {
    open_ = false;
    stream_.reset();
    throw Error(ErrorKind::kInternal,
                "cannot start gzip compression: zlib error " + std::to_string(status));
  }
  output_.resize(kOutputBufferBytes);
  stream_->next_out = output_.data();
  stream_->avail_out = static_cast<uInt>(output_.size());
}

GzipSink::~GzipSink() {
  if (stream_) deflateEnd(stream_.get());
}

void GzipSink::require_open() const {
  if (!open_) throw Error(ErrorKind::kInternal, "gzip sink used after commit or abort");
}

void GzipSink::write(std::string_view data) {
  require_open();
  if (data.empty()) return;

  // zlib counts input in uInt, so very large writes go in slices.
  constexpr size_t kMaxSlice = 1u << 30;
  while (!data.empty()) {
    size_t slice = std::min(data.size(), kMaxSlice);
    stream_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream_->avail_in = static_cast<uInt>(slice);
    run_deflate(Z_NO_FLUSH);
    data.remove_prefix(slice);
    bytes_in_ += slice;
  }
  member_has_data_ = true;
}

// Runs deflate until it has consumed all input and, for Z_FINISH, written the
// member's trailer. Full output buffers go to the inner sink on the way.
void GzipSink::run_deflate(int flush_mode) {
  while (true) {
    int status = deflate(stream_.get(), flush_mode);
    if (status == Z_STREAM_ERROR) {
      throw Error(ErrorKind::kInternal, "gzip compression failed: zlib stream error");
    }
    bool output_full = stream_->avail_out == 0;
    if (output_full) emit_output();

    if (flush_mode == Z_FINISH) {
      if (status == Z_STREAM_END) return;
    } else if (stream_->avail_in == 0 && !output_full) {
      return;
    }
  }
}

void GzipSink::emit_output() {
  size_t length = output_.size() - stream_->avail_out;
  if (length > 0) {
    inner_->write(std::string_view(reinterpret_cast<const char*>(output_.data()), length));
    bytes_out_ += length;
  }
  stream_->next_out = output_.data();
  stream_->avail_out = static_cast<uInt>(output_.size());
}

void GzipSink::end_frame() {
  require_open();
  if (!member_has_data_) return;

  stream_->next_in = nullptr;
  stream_->avail_in = 0;
  run_deflate(Z_FINISH);
  emit_output();
  deflateReset(stream_.get());
  member_has_data_ = false;
  any_member_ended_ = true;
}

void GzipSink::commit() {
  require_open();
  // An empty output still needs one member to be a valid gzip file.
  if (!any_member_ended_) member_has_data_ = true;
  end_frame();

  open_ = false;
  deflateEnd(stream_.get());
  stream_.reset();
  inner_->commit();
}

void GzipSink::abort() noexcept {
  open_ = false;
  if (stream_) {
    deflateEnd(stream_.get());
    stream_.reset();
  }
  inner_->abort();
}

}  // namespace sluice
