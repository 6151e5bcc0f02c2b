// A ByteSink that keeps its output in memory, for the encryption tests.
#pragma once

#include <string>

#include "sinks/byte_sink.h"

namespace sluice::testing {

class MemorySink : public ByteSink {
 public:
  explicit MemorySink(std::string* output) : output_(output) {}

  void write(std::string_view data) override { output_->append(data); }
  void commit() override { committed = true; }
  void abort() noexcept override { aborted = true; }
  uint64_t bytes_written() const override { return output_->size(); }

  bool committed = false;
  bool aborted = false;

 private:
  std::string* output_;
};

}  // namespace sluice::testing
