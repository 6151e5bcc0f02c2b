// An in-memory ByteSink for tests: it keeps every byte written and records
// whether the output was committed or aborted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sinks/byte_sink.h"

namespace sluice::testing {

// What a StringSink received and how its output ended.
struct SinkRecord {
  std::string bytes;
  int writes = 0;  // calls to write(), including empty ones
  bool committed = false;
  bool aborted = false;
};

class StringSink final : public ByteSink {
 public:
  // Records into the sink's own SinkRecord.
  StringSink() = default;

  // Records into `record`, which must outlive the sink. Use this form when
  // the sink is handed to a wrapper (a compressor, an encryptor) that owns
  // and destroys it before the test reads the bytes.
  explicit StringSink(SinkRecord* record) : record_(record) {}

  // Copying would leave record_ pointing into the source's own record.
  StringSink(const StringSink&) = delete;
  StringSink& operator=(const StringSink&) = delete;

  void write(std::string_view data) override {
    record_->bytes.append(data);
    ++record_->writes;
  }
  void commit() override { record_->committed = true; }
  void abort() noexcept override { record_->aborted = true; }
  uint64_t bytes_written() const override { return record_->bytes.size(); }

  const std::string& bytes() const { return record_->bytes; }
  const SinkRecord& record() const { return *record_; }

 private:
  SinkRecord own_record_;
  SinkRecord* record_ = &own_record_;
};

}  // namespace sluice::testing
