// GcsSink: uploads an export to gs://BUCKET/OBJECT with a JSON API
// resumable upload.
//
// The first chunk starts a session (POST uploadType=resumable, the session
// URI comes back in Location). Chunks then go in order with
// "Content-Range: bytes FIRST-LAST/*", each a multiple of 256 KiB; the final
// one names the total size, and only it makes the object visible. After a
// failed chunk the sink asks the session how much it holds
// ("Content-Range: bytes */*", answered by 308 and a Range header) and
// resends from there. One chunk uploads while the next fills, so memory is
// about two chunks. abort() deletes the session.
#pragma once

#include <memory>
#include <string>

#include "sinks/cloud/cloud_destination.h"
#include "sinks/cloud/gcs_credentials.h"
#include "sinks/cloud/multipart_sink.h"

namespace sluice {

class GcsSink : public MultipartSink {
 public:
  static constexpr uint64_t kChunkMultiple = 256 * kKiB;

  GcsSink(const CloudDestination& destination, const CloudOptions& options,
          uint64_t max_object_bytes);
  ~GcsSink() override;

  // The offset after the last byte a 308 response's Range header
  // ("bytes=0-N") reports as persisted: N + 1, or 0 without the header.
  static uint64_t PersistedBytes(const HttpResponse& response);

 private:
  void start_upload() override;
  std::string upload_part(HttpClient& client, const UploadPart& part) override;
  void complete_upload(const std::vector<std::string>&) override {}
  void put_object(const std::string& data) override;
  // Sends DELETE on the session URI. GCS returns 499 Client Closed Request,
  // and 404 or 410 once the session is gone.
  AbortResult abort_upload(const CloudUploadState& state) override;
  void describe_upload(CloudUploadState& state) const override;
  // Asks the session how many bytes it has stored (PUT "Content-Range: bytes */*").
  uint64_t restore_upload(const CloudUploadState& state, uint64_t recorded_bytes) override;
  void set_key(const std::string& key) override;

  HttpRequest chunk_request(std::string_view body, uint64_t first, uint64_t total_or_zero,
                            bool last) const;
  // Sends the status query; returns the response (200/201 when finished, 308 otherwise).
  HttpResponse query_status(HttpClient& client, uint64_t total, bool last) const;
  void check_final(const HttpResponse& response, uint64_t total) const;
  [[noreturn]] void fail(const std::string& operation, const HttpResponse& response) const;

  CloudDestination destination_;
  std::string endpoint_;
  std::unique_ptr<GcsCredentials> credentials_;
  std::string session_uri_;  // grants write access by itself: never put in messages
  // Offset of the next chunk. Written by the single upload thread, read by
  // upload_state() on the exporting thread.
  std::atomic<uint64_t> chunk_start_{0};
};

}  // namespace sluice
