#include "transforms/zstd_sink.h"

#include <zstd.h>

#include <string>

#include "core/error.h"

namespace sluice {

namespace {

void CheckZstd(size_t result, const char* step) {
  if (ZSTD_isError(result)) {
    throw Error(ErrorKind::kInternal,
                std::string("zstd compression failed while ") + step + ": " +
                    ZSTD_getErrorName(result));
  }
}

}  // namespace

ZstdSink::ZstdSink(std::unique_ptr<ByteSink> inner, int level) : inner_(std::move(inner)) {
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    throw InvalidOption("invalid zstd compression level " + std::to_string(level) +
                       ": use 1 (fastest) to " + std::to_string(ZSTD_maxCLevel()) +
                       " (smallest), or a negative level down to " +
                       std::to_string(ZSTD_minCLevel()) + " for faster, larger output");
  }
  context_ = ZSTD_createCCtx();
  if (context_ == nullptr) {
    throw Error(ErrorKind::kInternal, "cannot start zstd compression: out of memory");
  }
  try {
    CheckZstd(ZSTD_CCtx_setParameter(context_, ZSTD_c_compressionLevel, level),
              "setting the level");
    CheckZstd(ZSTD_CCtx_setParameter(context_, ZSTD_c_checksumFlag, 1), "enabling checksums");
  } catch (...) {
    ZSTD_freeCCtx(context_);
    context_ = nullptr;
    throw;
  }
  output_.resize(ZSTD_CStreamOutSize());
}

ZstdSink::~ZstdSink() { ZSTD_freeCCtx(context_); }

void ZstdSink::require_open() const {
  if (!open_) throw Error(ErrorKind::kInternal, "zstd sink used after commit or abort");
}

void ZstdSink::write(std::string_view data) {
  require_open();
  if (data.empty()) return;

  ZSTD_inBuffer input{data.data(), data.size(), 0};
  while (input.pos < input.size) {
    ZSTD_outBuffer output{output_.data(), output_.size(), output_used_};
    CheckZstd(ZSTD_compressStream2(context_, &output, &input, ZSTD_e_continue), "compressing");
    output_used_ = output.pos;
    if (output_used_ == output_.size()) emit_output();
  }
  bytes_in_ += data.size();
  frame_has_data_ = true;
}

void ZstdSink::emit_output() {
  if (output_used_ == 0) return;
  inner_->write(std::string_view(output_.data(), output_used_));
  bytes_out_ += output_used_;
  output_used_ = 0;
}

void ZstdSink::end_frame() {
  require_open();
  if (!frame_has_data_) return;

  // ZSTD_e_end returns the bytes still to flush; 0 means the frame is complete
  // and the context starts a new frame on the next input.
  ZSTD_inBuffer input{nullptr, 0, 0};
  size_t remaining;
  do {
    ZSTD_outBuffer output{output_.data(), output_.size(), output_used_};
    remaining = ZSTD_compressStream2(context_, &output, &input, ZSTD_e_end);
    CheckZstd(remaining, "ending a frame");
    output_used_ = output.pos;
    if (output_used_ == output_.size()) emit_output();
  } while (remaining != 0);
  emit_output();

  frame_has_data_ = false;
  any_frame_ended_ = true;
}

void ZstdSink::commit() {
  require_open();
  // An empty output still needs one frame to be a valid zstd file.
  if (!any_frame_ended_) frame_has_data_ = true;
  end_frame();

  open_ = false;
  ZSTD_freeCCtx(context_);
  context_ = nullptr;
  inner_->commit();
}

void ZstdSink::abort() noexcept {
  open_ = false;
  ZSTD_freeCCtx(context_);
  context_ = nullptr;
  inner_->abort();
}

}  // namespace sluice
