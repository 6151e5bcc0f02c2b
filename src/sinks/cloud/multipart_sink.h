// MultipartSink: the part buffering shared by the S3, Azure and GCS sinks.
//
// write() fills a part buffer; each full part goes to a PartUploader that
// uploads it in the background while the export continues. commit() sends
// the last part and asks the provider to assemble the object, which becomes
// visible only then. An output smaller than one part is sent in a single
// request instead, where the provider allows that.
//
// Part sizes start at CloudOptions::part_bytes and double every
// `parts_per_step` parts, so an upload of unknown total size stays within
// the provider's part count limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sinks/byte_sink.h"
#include "sinks/cloud/http_client.h"
#include "sinks/cloud/part_uploader.h"
#include "sinks/cloud/retry_policy.h"
#include "sluice/options.h"

namespace sluice {

struct PartLimits {
  uint64_t min_part_bytes = 1;      // every part but the last
  uint64_t max_part_bytes = 0;      // size growth stops here
  uint64_t part_multiple = 1;       // every part but the last is a multiple of this
  uint64_t max_parts = 0;           // 0 = no limit
  uint64_t parts_per_step = 0;      // the part size doubles after this many parts; 0 = never
  bool ordered = false;             // parts must upload one at a time, in order
  bool single_request = true;       // an output below one part goes in one request
  bool empty_last_part = false;     // commit() sends a last part even when it is empty
};

class MultipartSink : public ByteSink {
 public:
  ~MultipartSink() override;

  void write(std::string_view data) override;
  void commit() override;
  void abort() noexcept override;
  uint64_t bytes_written() const override { return bytes_written_; }

  // The part size for 1-based part `number`.
  static uint64_t PartSize(uint64_t first_part_bytes, const PartLimits& limits, uint64_t number);

 protected:
  // `provider` and `object` name the upload in messages; max_object_bytes is
  // the export's --max-file-size, which a cloud upload does not split at.
  MultipartSink(std::string provider, std::string object, const CloudOptions& options,
                uint64_t max_object_bytes, const PartLimits& limits);

  // Called once, on the exporting thread, before the first part uploads.
  virtual void start_upload() = 0;
  // Uploads one part on a pool thread; returns what complete_upload needs.
  virtual std::string upload_part(HttpClient& client, const UploadPart& part) = 0;
  // Assembles the object from the parts' results, in part order.
  virtual void complete_upload(const std::vector<std::string>& part_results) = 0;
  // Sends an output smaller than one part in a single request.
  virtual void put_object(const std::string& data) = 0;
  // Releases what the provider holds of an unfinished upload. Never throws.
  virtual void abort_upload() noexcept = 0;

  const std::string& provider() const { return provider_; }
  const std::string& object() const { return object_; }
  const CloudOptions& options() const { return options_; }
  const RetryPolicy& retry_policy() const { return retry_; }
  HttpClient& client() { return *client_; }
  // Set once the export aborts; pool threads stop retrying.
  const std::atomic<bool>* cancel_flag() const;
  uint64_t total_bytes() const { return bytes_written_; }

 private:
  void submit_buffer(bool last);
  void check_open() const;

  std::string provider_;
  std::string object_;
  CloudOptions options_;
  uint64_t max_object_bytes_;
  PartLimits limits_;
  RetryPolicy retry_;
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<PartUploader> uploader_;
  std::string buffer_;
  uint64_t next_part_ = 1;
  uint64_t bytes_written_ = 0;
  bool started_ = false;
  bool closed_ = false;
};

}  // namespace sluice
