// SkippingSink: passes bytes through to another sink after dropping the
// first `skip` of them, and counts every byte it is given from a starting
// offset. A resumed export uses it twice: to regenerate output from an
// earlier checkpoint without writing again what the file already holds, and
// to count the stream offset that checkpoints record. A hook set with
// set_before_commit() runs before the inner sink commits, which lets a split
// output record a part between its final digest and its rename.
#pragma once

#include <cstdint>
#include <algorithm>
#include <functional>
#include <memory>

#include "sinks/byte_sink.h"

namespace sluice {

class SkippingSink : public ByteSink {
 public:
  SkippingSink(std::unique_ptr<ByteSink> inner, uint64_t start_offset, uint64_t skip)
      : inner_(std::move(inner)), offset_(start_offset), skip_(skip) {}

  void write(std::string_view data) override {
    offset_ += data.size();
    if (skip_ > 0) {
      uint64_t dropped = std::min<uint64_t>(skip_, data.size());
      skip_ -= dropped;
      data.remove_prefix(static_cast<size_t>(dropped));
    }
    if (!data.empty()) inner_->write(data);
  }

  void commit() override {
    if (before_commit_) before_commit_();
    inner_->commit();
  }

  void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }
  void abort() noexcept override { inner_->abort(); }

  // Bytes given so far, counted from the starting offset.
  uint64_t bytes_written() const override { return offset_; }

  // Bytes still to drop before bytes pass through.
  uint64_t pending_skip() const { return skip_; }

 private:
  std::unique_ptr<ByteSink> inner_;
  uint64_t offset_;
  uint64_t skip_;
  std::function<void()> before_commit_;
};

}  // namespace sluice
